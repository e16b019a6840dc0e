package dev.lakehouse.query;

import dev.lakehouse.cli.LakehouseException;
import java.util.List;

/**
 * Athena's execution parameters for the local engine: each {@code ?} of the query is replaced by
 * the SQL text of its {@code --param}, in order, as Athena fills them ({@code --param "'2024-06-01'"}
 * is a string, {@code --param 42} a number). The ?s are found outside strings, quoted names and
 * comments; the caller checks their count against DuckDB's parser. Substituted text, unlike bound
 * values, leaves constants in the query, so its conditions still prune files.
 */
final class QueryParameters {
    private QueryParameters() {
    }

    /** How many {@code ?} placeholders the query holds outside strings, quoted names and comments. */
    static int count(String sql) {
        return scan(sql, null);
    }

    /** The query with its placeholders replaced by {@code (value)}; the counts must match (see {@link #count}). */
    static String bind(String sql, List<String> values) {
        int found = count(sql);
        if (found != values.size()) {
            throw LakehouseException.usage("The query has " + found + " ? placeholder" + (found == 1 ? "" : "s") + " and "
                    + values.size() + " --param value" + (values.size() == 1 ? "" : "s") + ": give one --param per ?, in order");
        }
        StringBuilder out = new StringBuilder(sql.length() + 16);
        scan(sql, new Filler(values, out));
        return out.toString();
    }

    private record Filler(List<String> values, StringBuilder out) {
    }

    /** Walks the query; with a filler, copies it there with each placeholder filled. Returns the placeholder count. */
    private static int scan(String sql, Filler filler) {
        int placeholders = 0;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            int end;
            if (c == '\'') {
                end = quoted(sql, i, '\'', escapes(sql, i));
            } else if (c == '"') {
                end = quoted(sql, i, '"', false);
            } else if (c == '-' && next == '-') {
                int newline = sql.indexOf('\n', i);
                end = newline < 0 ? n : newline;
            } else if (c == '/' && next == '*') {
                int close = sql.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                end = close < 0 ? n : close + tag.length();
            } else if (c == '?') {
                if (filler != null) {
                    filler.out().append('(').append(filler.values().get(placeholders)).append(')');
                }
                placeholders++;
                i++;
                continue;
            } else {
                end = i + 1;
            }
            if (filler != null) {
                filler.out().append(sql, i, end);
            }
            i = end;
        }
        return placeholders;
    }

    /** E'...' strings take backslash escapes: the quote opening at {@code quote} is one when E comes right before. */
    private static boolean escapes(String sql, int quote) {
        if (quote == 0 || Character.toUpperCase(sql.charAt(quote - 1)) != 'E') {
            return false;
        }
        return quote == 1 || !isNamePart(sql.charAt(quote - 2));
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** The end (exclusive) of the quoted text opening at {@code start}: a doubled quote stays inside. */
    private static int quoted(String sql, int start, char quote, boolean backslashes) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** {@code $$} or {@code $tag$} opening a dollar-quoted string at {@code i} (not {@code $1}, a numbered parameter). */
    private static String dollarTag(String sql, int i) {
        if (i > 0 && isNamePart(sql.charAt(i - 1))) {
            return null;
        }
        int j = i + 1;
        if (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            return null;
        }
        while (j < sql.length() && isNamePart(sql.charAt(j))) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }
}
