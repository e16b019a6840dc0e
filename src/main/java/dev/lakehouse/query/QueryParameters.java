package dev.lakehouse.query;

import dev.lakehouse.cli.LakehouseException;
import java.util.List;

/**
 * Athena's execution parameters for the local engine: each {@code ?} of the query is replaced by
 * the SQL text of its {@code --param}, in order, as Athena fills them ({@code --param "'2024-06-01'"}
 * is a string, {@code --param 42} a number). The ?s are found outside strings, quoted names and
 * comments ({@link SqlTokens}); the caller checks their count against DuckDB's parser. Substituted
 * text, unlike bound values, leaves constants in the query, so its conditions still prune files.
 */
final class QueryParameters {
    private QueryParameters() {
    }

    /** How many {@code ?} placeholders the query holds outside strings, quoted names and comments. */
    static int count(String sql) {
        return placeholders(sql).size();
    }

    /** The query with its placeholders replaced by {@code (value)}; the counts must match (see {@link #count}). */
    static String bind(String sql, List<String> values) {
        List<SqlTokens.Token> placeholders = placeholders(sql);
        int found = placeholders.size();
        if (found != values.size()) {
            throw LakehouseException.usage("The query has " + found + " ? placeholder" + (found == 1 ? "" : "s") + " and "
                    + values.size() + " --param value" + (values.size() == 1 ? "" : "s") + ": give one --param per ?, in order");
        }
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int copied = 0;
        for (int i = 0; i < found; i++) {
            SqlTokens.Token t = placeholders.get(i);
            out.append(sql, copied, t.start()).append('(').append(values.get(i)).append(')');
            copied = t.end();
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    private static List<SqlTokens.Token> placeholders(String sql) {
        return SqlTokens.of(sql).stream().filter(t -> t.isSymbol('?')).toList();
    }
}
