package dev.lakehouse.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The value of a point-in-time option: {@code 2024-06-01T12:00:00Z}, with an offset
 * ({@code +02:00}), a space for the T, or a date alone ({@code 2024-06-01}: its start, in UTC).
 * A time without a zone is refused: UTC and the machine's zone would both be guesses.
 */
public final class TimeOption {
    private TimeOption() {
    }

    public static Instant parse(String text, String option) {
        // a space for the T, and none before an offset: "2024-06-01 12:00:00 +02:00"
        String t = text.strip().replaceFirst(" ", "T").replaceFirst("\\s+(?=[+-]\\d{2}(:?\\d{2})?$|Z$)", "");
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t.endsWith("z") ? t.substring(0, t.length() - 1) + "Z" : t).toInstant();
        } catch (DateTimeParseException e) {
            boolean noZone = t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");
            throw LakehouseException.usage(option + ": '" + text + "' "
                    + (noZone ? "has no time zone: add Z for UTC or an offset, e.g. " + t + "Z"
                    : "is not a time like 2024-06-01T12:00:00Z or a date like 2024-06-01"));
        }
    }
}
