package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.Schema;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * Parses the small SQL-like filter language of {@code --where} into an Iceberg expression:
 * {@code region = 'eu' AND day >= '2024-06-01'}, {@code id IN (1, 2)}, {@code note IS NULL},
 * {@code NOT (a < 3 OR b BETWEEN 1 AND 2)}. Literals are converted to the column's type by Iceberg.
 */
public final class Filters {
    private final List<String> tokens;
    private final Schema schema;
    private int pos;

    private Filters(String text, Schema schema) {
        this.tokens = tokenize(text);
        this.schema = schema;
    }

    /** Parses and checks {@code text} against {@code schema} (columns exist, literals fit their types). */
    public static Expression parse(String text, Schema schema, String option) {
        if (text == null || text.isBlank()) {
            return Expressions.alwaysTrue();
        }
        try {
            Filters p = new Filters(text, schema);
            Expression e = p.or();
            if (p.pos < p.tokens.size()) {
                throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
            }
            Binder.bind(schema.asStruct(), e, false);
            return e;
        } catch (java.time.DateTimeException e) {
            throw LakehouseException.usage(option + " '" + text + "': " + e.getMessage().lines().findFirst().orElse("")
                    + " (a time is written 2024-06-01, 2024-06-01 12:00:00 or 2024-06-01T12:00:00Z)");
        } catch (ValidationException | IllegalArgumentException e) {
            throw LakehouseException.usage(option + " '" + text + "': " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private Expression or() {
        Expression e = and();
        while (accept("OR")) {
            e = Expressions.or(e, and());
        }
        return e;
    }

    private Expression and() {
        Expression e = not();
        while (accept("AND")) {
            e = Expressions.and(e, not());
        }
        return e;
    }

    private Expression not() {
        if (accept("NOT")) {
            return Expressions.not(not());
        }
        if (accept("(")) {
            Expression e = or();
            expect(")");
            return e;
        }
        return predicate();
    }

    private Expression predicate() {
        String column = next("a column name");
        if (column.startsWith("'") || Character.isDigit(column.charAt(0))) {
            throw error("expected a column name but found " + column);
        }
        if (accept("IS")) {
            boolean negate = accept("NOT");
            expect("NULL");
            return negate ? Expressions.notNull(column) : Expressions.isNull(column);
        }
        org.apache.iceberg.types.Types.NestedField field = schema.caseInsensitiveFindField(column);
        if (accept("IN")) {
            return Expressions.in(column, list(field).toArray());
        }
        if (accept("NOT")) {
            expect("IN");
            return Expressions.notIn(column, list(field).toArray());
        }
        if (accept("BETWEEN")) {
            Object lo = literal(field);
            expect("AND");
            Object hi = literal(field);
            return Expressions.and(Expressions.greaterThanOrEqual(column, lo), Expressions.lessThanOrEqual(column, hi));
        }
        String op = next("an operator (=, !=, <, <=, >, >=, IN, IS NULL, BETWEEN)");
        Object value = literal(field);
        return switch (op) {
            case "=" -> Expressions.equal(column, value);
            case "!=", "<>" -> Expressions.notEqual(column, value);
            case "<" -> Expressions.lessThan(column, value);
            case "<=" -> Expressions.lessThanOrEqual(column, value);
            case ">" -> Expressions.greaterThan(column, value);
            case ">=" -> Expressions.greaterThanOrEqual(column, value);
            default -> throw error("unknown operator '" + op + "'");
        };
    }

    private List<Object> list(org.apache.iceberg.types.Types.NestedField field) {
        expect("(");
        List<Object> values = new ArrayList<>();
        do {
            values.add(literal(field));
        } while (accept(","));
        expect(")");
        return values;
    }

    /**
     * A literal for a column: text for a timestamp column is read as the query engines read it, a
     * date as its midnight and a space for the T ('2024-06-01', '2024-06-01 12:00:00'), in UTC
     * for a column with a time zone; Iceberg itself takes only 2024-06-01T12:00:00.
     */
    private Object literal(org.apache.iceberg.types.Types.NestedField field) {
        Object value = literal();
        if (field == null || !(value instanceof String text) || !(field.type() instanceof org.apache.iceberg.types.Types.TimestampType ts)) {
            return value;
        }
        String iso = text.matches("\\d{4}-\\d{2}-\\d{2}") ? text + "T00:00:00" : text.replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) ", "$1T");
        boolean hasZone = iso.matches(".*T.*([zZ]|[+-]\\d{2}(:?\\d{2})?)$");
        return ts.shouldAdjustToUTC() && !hasZone ? iso + "+00:00" : iso;
    }

    private Object literal() {
        String t = next("a value");
        if (t.startsWith("'")) {
            return t.substring(1, t.length() - 1).replace("''", "'");
        }
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.equals("TRUE") || upper.equals("FALSE")) {
            return Boolean.valueOf(upper.equals("TRUE"));
        }
        if ((upper.equals("DATE") || upper.equals("TIMESTAMP")) && pos < tokens.size() && tokens.get(pos).startsWith("'")) {
            return literal();
        }
        try {
            if (t.contains(".") || t.contains("e") || t.contains("E")) {
                return new BigDecimal(t);
            }
            return Long.valueOf(t);
        } catch (NumberFormatException e) {
            throw error("'" + t + "' is not a value (quote text: 'eu')");
        }
    }

    private boolean accept(String keyword) {
        if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String keyword) {
        if (!accept(keyword)) {
            throw error("expected " + keyword + (pos < tokens.size() ? " but found '" + tokens.get(pos) + "'" : " at the end"));
        }
    }

    private String next(String what) {
        if (pos >= tokens.size()) {
            throw error("expected " + what + " at the end");
        }
        return tokens.get(pos++);
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message);
    }

    private static List<String> tokenize(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int j = i + 1;
                StringBuilder b = new StringBuilder("'");
                while (true) {
                    if (j >= s.length()) {
                        throw new IllegalArgumentException("unterminated text literal");
                    }
                    if (s.charAt(j) == '\'') {
                        if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                            b.append("''");
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    b.append(s.charAt(j++));
                }
                tokens.add(b.append('\'').toString());
                i = j + 1;
            } else if ("(),".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if ("=<>!".indexOf(c) >= 0) {
                int j = i + 1;
                if (j < s.length() && "=>".indexOf(s.charAt(j)) >= 0) {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "(),=<>!'".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            }
        }
        return tokens;
    }
}
