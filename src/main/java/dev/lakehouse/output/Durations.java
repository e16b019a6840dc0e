package dev.lakehouse.output;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them on a command line: {@code 90s}, {@code 15m}, {@code 7d}, {@code 1h30m}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private Durations() {
    }

    /** Parses {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}, {@code 1w}, {@code 1h30m}, {@code 500ms}. */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            try {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(Math.multiplyExact(7, n));
                });
            } catch (ArithmeticException | NumberFormatException tooBig) {
                throw new IllegalArgumentException("'" + text + "' is longer than 100000 days");
            }
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 90s, 15m, 2h, 7d, 1h30m)");
        }
        if (total.compareTo(LONGEST) > 0) { // an instant that far back or ahead is out of Java's range
            throw new IllegalArgumentException("'" + text + "' is longer than 100000 days");
        }
        return total;
    }

    /** The longest duration an option takes: far beyond any retention, well inside Instant's range. */
    private static final Duration LONGEST = Duration.ofDays(100_000);

    /** The inverse of {@link #parse}: {@code 1h30m}, {@code 45s}, {@code 250ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        long s = d.getSeconds();
        long days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60, seconds = s % 60;
        if (days > 0) b.append(days).append('d');
        if (hours > 0) b.append(hours).append('h');
        if (minutes > 0) b.append(minutes).append('m');
        if (seconds > 0) b.append(seconds).append('s');
        return b.toString();
    }
}
