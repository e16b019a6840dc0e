package dev.lakehouse.query;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;

/**
 * A query's literal as Iceberg must see it to prune files exactly as DuckDB compares it, or null
 * when no such value exists and the condition must not prune (DuckDB still applies it). Pruning
 * with a value DuckDB does not compare with gives wrong answers: Iceberg rounds a double to a
 * decimal column's scale or narrows it to a float, and reads '2024-06-01' only as a date, where
 * DuckDB casts it to the column's type.
 */
final class PruningLiterals {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,6})?)?)\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");
    /** Doubles hold every integer up to 2^53 exactly. */
    private static final long EXACT_IN_DOUBLE = 1L << 53;

    private PruningLiterals() {
    }

    /**
     * The text of a DATE or TIMESTAMP literal ({@code DATE '2024-06-01'}): a date or time to a date
     * or timestamp column, but not a string to a string column, which DuckDB casts to a date to
     * compare ('2024-6-1' = DATE '2024-06-01' holds). A CharSequence, so Iceberg keeps it as text.
     */
    record TemporalText(String text) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The value to prune a column of this type with, or null: do not prune on it. */
    static Object forColumn(Object value, Type type) {
        return switch (type.typeId()) {
            case STRING -> value instanceof String ? value : null; // not TemporalText: DuckDB compares that as a date
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case INTEGER, LONG -> value instanceof Long || value instanceof Integer ? value : null;
            case DECIMAL -> decimal(value, (org.apache.iceberg.types.Types.DecimalType) type);
            case DOUBLE -> isZero(value) ? null // Iceberg's bounds order -0.0 below 0.0, DuckDB holds them equal
                    : value instanceof Double || value instanceof BigDecimal
                    || (value instanceof Long l && Math.abs(l) <= EXACT_IN_DOUBLE) ? value : null;
            case DATE -> value instanceof CharSequence s && DATE.matcher(s).matches() ? s.toString() : null;
            case TIMESTAMP -> value instanceof CharSequence s ? timestamp(s.toString(), type) : null;
            default -> null; // float (narrowing), time, binary, uuid, nested: not worth a wrong answer
        };
    }

    private static boolean isZero(Object value) {
        return value instanceof Number n && (n instanceof BigDecimal b ? b.signum() == 0 : n.doubleValue() == 0);
    }

    /** An exact value at the column's scale (Iceberg compares decimals of one scale only), else null. */
    private static BigDecimal decimal(Object value, org.apache.iceberg.types.Types.DecimalType type) {
        BigDecimal exact = value instanceof Long || value instanceof Integer ? BigDecimal.valueOf(((Number) value).longValue())
                : value instanceof BigDecimal b ? b : null;
        if (exact == null) {
            return null; // a double, a string: DuckDB and Iceberg would round differently
        }
        try {
            BigDecimal scaled = exact.setScale(type.scale(), java.math.RoundingMode.UNNECESSARY);
            return scaled.precision() <= type.precision() ? scaled : null;
        } catch (ArithmeticException moreDigitsThanTheColumn) {
            return null;
        }
    }

    /**
     * A timestamp's text as Iceberg parses it (ISO, with a T). A date alone is its midnight, as DuckDB
     * casts it. For a timestamp with time zone, text without an offset is in DuckDB's session zone,
     * which is UTC: DuckTypes.connect sets it, and a query is one SELECT, which cannot change it.
     */
    private static String timestamp(String text, Type type) {
        boolean withZone = ((org.apache.iceberg.types.Types.TimestampType) type).shouldAdjustToUTC();
        if (DATE.matcher(text).matches()) {
            return text + "T00:00:00" + (withZone ? "Z" : "");
        }
        Matcher m = TIMESTAMP.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        String time = m.group(2).length() == 5 ? m.group(2) + ":00" : m.group(2);
        String local = m.group(1) + "T" + time;
        String offset = m.group(3);
        if (!withZone) {
            return offset == null ? local : null; // DuckDB would cast away the offset in its own zone
        }
        return local + (offset == null ? "Z" : java.time.ZoneOffset.of(offset).getId()); // +02 -> +02:00, Z stays Z
    }
}
