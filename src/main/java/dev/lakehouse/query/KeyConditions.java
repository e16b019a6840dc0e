package dev.lakehouse.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.expressions.And;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.expressions.UnboundPredicate;

/**
 * The part of a pushed-down filter that constrains only the given key columns, as DuckDB SQL. An
 * equality delete whose key fails these conditions can only match rows the query rejects anyway,
 * so the engine need not load it: a selective query then reads a handful of delete keys, not all.
 */
final class KeyConditions {
    private KeyConditions() {
    }

    /** SQL over the key columns (each prefixed with {@code qualifier}), or {@code true} when nothing applies. */
    static String sql(Expression filter, List<String> keys, String qualifier) {
        List<String> parts = new ArrayList<>();
        collect(filter, keys, qualifier, parts);
        return parts.isEmpty() ? "true" : String.join(" AND ", parts);
    }

    private static void collect(Expression e, List<String> keys, String qualifier, List<String> into) {
        if (e instanceof And and) {
            collect(and.left(), keys, qualifier, into);
            collect(and.right(), keys, qualifier, into);
        } else if (e instanceof UnboundPredicate<?> p) {
            String condition = predicate(p, keys, qualifier);
            if (condition != null) {
                into.add(condition);
            }
        }
        // anything else (OR, NOT, always-true) is left out: leaving a condition out is always safe
    }

    private static String predicate(UnboundPredicate<?> p, List<String> keys, String qualifier) {
        String column = keys.stream().filter(k -> k.equalsIgnoreCase(p.ref().name())).findFirst().orElse(null);
        if (column == null) {
            return null;
        }
        String c = qualifier + DuckTypes.quote(column);
        String op = switch (p.op()) {
            case EQ -> " = ";
            case NOT_EQ -> " <> ";
            case LT -> " < ";
            case LT_EQ -> " <= ";
            case GT -> " > ";
            case GT_EQ -> " >= ";
            case IN -> " IN ";
            default -> null;
        };
        if (op == null) {
            return null;
        }
        if (p.op() == org.apache.iceberg.expressions.Expression.Operation.IN) {
            List<String> values = new ArrayList<>();
            for (Literal<?> l : p.literals()) {
                String v = value(l);
                if (v == null) {
                    return null;
                }
                values.add(v);
            }
            return c + op + "(" + String.join(", ", values) + ")";
        }
        String v = value(p.literal());
        return v == null ? null : c + op + v;
    }

    /** A literal as SQL; null for a kind this does not render (the condition is then left out). */
    private static String value(Literal<?> literal) {
        Object v = literal.value();
        if (v instanceof CharSequence text) {
            return DuckTypes.literal(text.toString());
        }
        if (v instanceof Long || v instanceof Integer) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double d && Double.isFinite(d)) {
            return String.format(Locale.ROOT, "%s::DOUBLE", d);
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        return null;
    }
}
