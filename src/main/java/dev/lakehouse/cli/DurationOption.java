package dev.lakehouse.cli;

import dev.lakehouse.output.Durations;
import java.time.Duration;

/** The value of a duration option ({@code 90s}, {@code 15m}, {@code 1h30m}): a bad one is a usage error naming the option. */
public final class DurationOption {
    private DurationOption() {
    }

    /** Any duration, zero included (e.g. {@code --older-than 0s}: everything). */
    public static Duration parse(String text, String option) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw LakehouseException.usage(option + ": " + e.getMessage());
        }
    }

    /** A duration that must be more than zero (timeouts, intervals, windows). */
    /**
     * A positive duration, or null when the option was not given. Parsed when the command starts, also
     * where only one engine reads it: a script's typo fails on the first env, not on the next.
     */
    public static Duration positiveIfGiven(String text, String option) {
        return text == null ? null : positive(text, option);
    }

    public static Duration positive(String text, String option) {
        Duration d = parse(text, option);
        if (d.isZero()) {
            throw LakehouseException.usage(option + ": '" + text + "' must be more than 0");
        }
        return d;
    }
}
