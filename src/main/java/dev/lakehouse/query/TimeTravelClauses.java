package dev.lakehouse.query;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.query.SqlTokens.Kind;
import dev.lakehouse.query.SqlTokens.Token;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Athena's (Trino's) time travel written in the query, for the local engine, so one query reads the
 * same snapshot on both engines: {@code orders FOR VERSION AS OF 8954597067493422955},
 * {@code FOR VERSION AS OF 'tag'} (a tag or branch), {@code FOR TIMESTAMP AS OF TIMESTAMP
 * '2024-06-01 12:00:00 UTC'} (also {@code SYSTEM_VERSION}, {@code SYSTEM_TIME}). DuckDB has no such
 * syntax, so each table name with its clause becomes a view name of its own,
 * {@code "orders@version=8954597067493422955"}, which the engine plans at that snapshot; the table's
 * own name stays its alias unless the query gives one, so {@code orders.id} still resolves.
 */
final class TimeTravelClauses {
    /** What a rewritten view name stands for: the table as the query named it (last part), and the snapshot. */
    record Clause(String table, LocalQueryEngine.TimeTravel travel) {
    }

    /** The query as DuckDB gets it, and the time-travel views it names (by lower-case view name). */
    record Rewritten(String sql, Map<String, Clause> views) {
        Clause clause(String viewName) {
            return views.get(viewName.toLowerCase(Locale.ROOT));
        }
    }

    private static final Set<String> PERIODS = Set.of("VERSION", "TIMESTAMP", "SYSTEM_VERSION", "SYSTEM_TIME");
    /** Words a table name may directly follow (a word before the name other than these makes the name an alias). */
    private static final Set<String> AFTER_TABLE_START = Set.of("FROM", "JOIN", "LATERAL", "ONLY", "TABLE", "UPDATE", "INTO",
            "DESCRIBE", "SUMMARIZE", "SHOW");
    /** Words that may follow a table in FROM without being its alias. */
    private static final Set<String> NOT_ALIASES = Set.of("WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS",
            "NATURAL", "ON", "USING", "GROUP", "ORDER", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "HAVING", "WINDOW",
            "QUALIFY", "POSITIONAL", "ASOF", "ANTI", "SEMI", "LATERAL", "TABLESAMPLE", "FETCH", "PIVOT", "UNPIVOT", "FOR",
            "RETURNING", "SELECT");
    private static final Pattern AS_OF = Pattern.compile("(?i)\\bAS\\s+OF\\b");
    /** Trino's timestamp literal text: a date, a time, and a zone (none: the session's, UTC in Athena). */
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})(?:[ T](\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?))?\\s*(\\S*)");

    private TimeTravelClauses() {
    }

    static Rewritten rewrite(String sql) {
        Map<String, Clause> views = new LinkedHashMap<>();
        if (!AS_OF.matcher(sql).find()) {
            return new Rewritten(sql, views); // the common case: no clause, no tokenizing
        }
        List<Token> tokens = SqlTokens.of(sql);
        StringBuilder out = new StringBuilder(sql.length() + 32);
        int copied = 0;
        for (int i = 0; i + 4 < tokens.size(); i++) {
            if (!tokens.get(i).isWord("FOR") || !PERIODS.contains(tokens.get(i + 1).upper())
                    || !tokens.get(i + 2).isWord("AS") || !tokens.get(i + 3).isWord("OF")) {
                continue;
            }
            String period = tokens.get(i + 1).upper();
            Token name = i > 0 ? tokens.get(i - 1) : null;
            if (name == null || !(name.kind() == Kind.WORD || name.kind() == Kind.QUOTED_NAME)) {
                throw LakehouseException.usage("FOR " + period + " AS OF must follow a table name");
            }
            Token before = i > 1 ? tokens.get(i - 2) : null;
            if (before != null && (before.kind() == Kind.QUOTED_NAME
                    || (before.kind() == Kind.WORD && !AFTER_TABLE_START.contains(before.upper())))) {
                // FROM orders o FOR VERSION ...: the name before FOR is an alias
                throw LakehouseException.usage("FOR " + period + " AS OF goes right after the table name, before its alias:"
                        + " FROM orders FOR " + period + " AS OF ... o");
            }
            int last = i + 4;
            LocalQueryEngine.TimeTravel travel;
            String label;
            if (period.endsWith("VERSION")) {
                Token value = tokens.get(last);
                if (value.kind() == Kind.NUMBER && value.text().matches("\\d+")) {
                    travel = new LocalQueryEngine.TimeTravel(Long.parseLong(value.text()), null, null);
                    label = "version=" + value.text();
                } else if (value.kind() == Kind.STRING && value.text().startsWith("'")) {
                    travel = new LocalQueryEngine.TimeTravel(null, value.stringValue(), null);
                    label = "version=" + value.stringValue();
                } else {
                    throw LakehouseException.usage("FOR " + period + " AS OF takes a snapshot id or a tag name in quotes, not "
                            + value.text());
                }
            } else {
                if (tokens.get(last).isWord("TIMESTAMP") && last + 1 < tokens.size()) {
                    last++;
                }
                Token value = tokens.get(last);
                if (value.kind() != Kind.STRING || !value.text().startsWith("'")) {
                    throw LakehouseException.usage("The local engine reads FOR " + period + " AS OF a literal time,"
                            + " e.g. TIMESTAMP '2024-06-01 12:00:00 UTC' (or use --as-of), not " + value.text());
                }
                Instant at = instant(value.stringValue());
                travel = new LocalQueryEngine.TimeTravel(null, null, at);
                label = "timestamp=" + at;
            }
            String view = name.name() + "@" + label;
            views.put(view.toLowerCase(Locale.ROOT), new Clause(name.name(), travel));
            Token after = last + 1 < tokens.size() ? tokens.get(last + 1) : null;
            boolean aliased = after != null && (after.isWord("AS") || after.kind() == Kind.QUOTED_NAME
                    || (after.kind() == Kind.WORD && !NOT_ALIASES.contains(after.upper())));
            out.append(sql, copied, name.start()).append(DuckTypes.quote(view));
            if (!aliased) {
                out.append(" AS ").append(DuckTypes.quote(name.name()));
            }
            copied = tokens.get(last).end();
            i = last;
        }
        if (views.isEmpty()) {
            return new Rewritten(sql, views);
        }
        return new Rewritten(out.append(sql, copied, sql.length()).toString(), views);
    }

    /** Trino's timestamp text: {@code 2024-06-01 12:00:00[.fff] [zone]}, a zone name or offset; none is UTC, as in Athena. */
    static Instant instant(String text) {
        Matcher m = TIMESTAMP.matcher(text.strip());
        try {
            if (m.matches()) {
                LocalDate date = LocalDate.parse(m.group(1));
                LocalTime time = m.group(2) == null ? LocalTime.MIDNIGHT
                        : LocalTime.parse(m.group(2).indexOf(':') == 1 ? "0" + m.group(2) : m.group(2)); // Trino takes 4:08
                ZoneId zone = m.group(3).isEmpty() ? ZoneOffset.UTC : ZoneId.of(m.group(3));
                return date.atTime(time).atZone(zone).toInstant();
            }
        } catch (DateTimeException e) {
            // said below
        }
        throw LakehouseException.usage("'" + text + "' is not a time like '2024-06-01 12:00:00 UTC'");
    }
}
