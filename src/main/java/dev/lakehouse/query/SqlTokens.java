package dev.lakehouse.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of a SQL text, with their positions, for the few rewrites DuckDB's parser cannot do
 * for us (it does not report where things are): {@code ?} placeholders and Athena's time-travel
 * clauses. Comments and white space are skipped; strings, quoted names and dollar-quoted text are
 * single tokens, so nothing inside them is mistaken for syntax.
 */
final class SqlTokens {
    enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, SYMBOL }

    /** A token: {@code text} is the source text from {@code start} (inclusive) to {@code end}. */
    record Token(Kind kind, int start, int end, String text) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.charAt(0) == c;
        }

        /** A name as SQL means it: a quoted one as written (quotes undone), a bare one as written. */
        String name() {
            return kind == Kind.QUOTED_NAME ? text.substring(1, text.length() - 1).replace("\"\"", "\"") : text;
        }

        /** A string literal's value ('' undone; E'...' escapes are left as written). */
        String stringValue() {
            int open = text.indexOf('\'');
            return text.substring(open + 1, text.length() - 1).replace("''", "'");
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    private SqlTokens() {
    }

    static List<Token> of(String sql) {
        List<Token> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && next == '-') {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
            } else if (c == '/' && next == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '\'') {
                i = add(tokens, sql, Kind.STRING, i, quoted(sql, i, '\'', false));
            } else if ((c == 'E' || c == 'e') && next == '\'') {
                i = add(tokens, sql, Kind.STRING, i, quoted(sql, i + 1, '\'', true));
            } else if (c == '"') {
                i = add(tokens, sql, Kind.QUOTED_NAME, i, quoted(sql, i, '"', false));
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                i = add(tokens, sql, Kind.STRING, i, close < 0 ? n : close + tag.length());
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.' || sql.charAt(j) == '_')) {
                    j++;
                }
                i = add(tokens, sql, Kind.NUMBER, i, j);
            } else if (isNameStart(c)) {
                int j = i;
                while (j < n && (isNamePart(sql.charAt(j)) || sql.charAt(j) == '$')) {
                    j++;
                }
                i = add(tokens, sql, Kind.WORD, i, j);
            } else {
                i = add(tokens, sql, Kind.SYMBOL, i, i + 1);
            }
        }
        return tokens;
    }

    private static int add(List<Token> tokens, String sql, Kind kind, int start, int end) {
        tokens.add(new Token(kind, start, end, sql.substring(start, end)));
        return end;
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
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
