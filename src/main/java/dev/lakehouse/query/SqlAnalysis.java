package dev.lakehouse.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.cli.LakehouseException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * What a SQL query refers to, from DuckDB's own parser ({@code json_serialize_sql}): the tables it
 * names, and for each, the simple conditions of the top-level WHERE that can prune its files
 * ({@code col = 'x'}, {@code col > 10}, {@code col IN (...)}, {@code col BETWEEN a AND b}, joined by AND).
 * Pruning with them is safe: every such condition rejects rows where it is not true, so files
 * Iceberg's metrics rule out cannot contribute rows; DuckDB still applies the whole WHERE.
 */
final class SqlAnalysis {
    /** A table the query names: schema may be empty (the default namespace). */
    record TableRef(String schema, String name) {
        String qualified() {
            return schema.isEmpty() ? name : schema + "." + name;
        }
    }

    /** DuckDB's parse tree writes an out-of-range double literal ({@code 1e400}) as the bare token Infinity. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    /** First words of what DuckDB serialises (queries). */
    private static final Set<String> QUERY_VERBS = Set.of("SELECT", "WITH", "VALUES", "SHOW", "DESCRIBE", "FROM", "SUMMARIZE",
            "TABLE", "(");

    /**
     * An item of the top-level select list: a star (expands to several columns), or one column named
     * by its alias or the column it reads ({@code name}), or an expression without a name (null).
     */
    record SelectItem(String name, boolean star) {
    }

    private final Set<TableRef> tables = new LinkedHashSet<>();
    private List<SelectItem> select;
    /** The query returns a VALUES list's columns, which nothing named. */
    private boolean unnamedValues;
    private final Map<TableRef, Integer> occurrences = new HashMap<>();
    private final Map<TableRef, List<Expression>> filters = new HashMap<>();
    private boolean listsCatalog;
    private final Set<String> parameters = new HashSet<>();

    private SqlAnalysis() {
    }

    static SqlAnalysis of(Connection duck, String sql) {
        JsonNode root;
        // json_serialize_sql wants a constant, not a parameter
        try (java.sql.Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT json_serialize_sql(" + DuckTypes.literal(sql) + "::VARCHAR)")) {
            rs.next();
            root = JSON.readTree(rs.getString(1));
        } catch (SQLException | java.io.IOException e) {
            throw LakehouseException.failed("Cannot parse the query: " + e.getMessage(), e);
        }
        if (root.path("error").asBoolean(false)) {
            String message = root.path("error_message").asText("syntax error").lines().findFirst().orElse("");
            if (message.startsWith("Only SELECT statements")) {
                // DuckDB's parser serialises queries only; say so in the user's terms
                List<SqlTokens.Token> tokens = SqlTokens.of(sql);
                String verb = tokens.isEmpty() ? "" : tokens.get(0).upper();
                if (QUERY_VERBS.contains(verb)) { // "SELECT 1; DROP TABLE t": the other statement is the culprit
                    throw LakehouseException.usage("The text holds a statement that is not a query; the local engine runs one"
                            + " query (SELECT, WITH, VALUES, SHOW, DESCRIBE) per command");
                }
                throw LakehouseException.usage("The local engine runs queries only (SELECT, WITH, VALUES, SHOW, DESCRIBE), not "
                        + verb + (verb.equals("EXPLAIN") ? "; --explain shows what Iceberg plans for each table" : ""));
            }
            throw LakehouseException.usage("Cannot parse the query: " + message);
        }
        if (root.path("statements").size() > 1) {
            // DuckDB would run them all and print the last; Athena refuses more than one
            throw LakehouseException.usage("The query holds " + root.path("statements").size()
                    + " statements; run one at a time");
        }
        SqlAnalysis a = new SqlAnalysis();
        a.collectTables(root, Set.of());
        JsonNode statements = root.path("statements");
        if (statements.size() == 1) {
            JsonNode node = statements.get(0).path("node");
            if ("SELECT_NODE".equals(node.path("type").asText())) {
                a.collectFilters(node, cteNames(node));
            }
            // a set operation's columns are named by its first query
            while ("SET_OPERATION_NODE".equals(node.path("type").asText())) {
                node = node.path("left");
            }
            if ("SELECT_NODE".equals(node.path("type").asText())) {
                a.select = selectItems(node.path("select_list"));
                JsonNode from = node.path("from_table");
                // VALUES (1, 2), or SELECT * FROM VALUES ... without column names: DuckDB says col0, Athena _col0
                a.unnamedValues = "EXPRESSION_LIST".equals(from.path("type").asText()) && from.path("column_name_alias").isEmpty()
                        && a.select.size() == 1 && a.select.get(0).star();
            }
        }
        return a;
    }

    private static List<SelectItem> selectItems(JsonNode list) {
        List<SelectItem> items = new ArrayList<>();
        for (JsonNode e : list) {
            if ("STAR".equals(e.path("class").asText())) {
                items.add(new SelectItem(null, true));
                continue;
            }
            String alias = e.path("alias").asText("");
            items.add(new SelectItem(!alias.isEmpty() ? alias : referencedName(e), false));
        }
        return items;
    }

    /**
     * The result's column names as Athena gives them for the same query, so that one script reads
     * either engine's output: lower case, and {@code _colN} (N the column's position from 0) for an
     * expression without an alias, where DuckDB would name it after its text ({@code count_star()}).
     * DuckDB's names, lower-cased, for columns a star expanded to and for what is not a plain query.
     */
    List<String> columnNames(List<String> duckdbNames) {
        List<String> names = new ArrayList<>();
        duckdbNames.forEach(n -> names.add(n.toLowerCase(java.util.Locale.ROOT)));
        if (select == null) {
            return names;
        }
        if (unnamedValues) {
            names.replaceAll(n -> n.matches("col[0-9]+") ? "_" + n : n);
            return names;
        }
        int star = -1;
        for (int i = 0; i < select.size(); i++) {
            if (select.get(i).star()) {
                if (star >= 0) {
                    return names; // two stars: which columns each expanded to is not known
                }
                star = i;
            }
        }
        int before = star < 0 ? select.size() : star;
        int after = star < 0 ? 0 : select.size() - star - 1;
        if (before + after > names.size() || (star < 0 && select.size() != names.size())) {
            return names;
        }
        for (int i = 0; i < before; i++) {
            names.set(i, name(select.get(i), i));
        }
        for (int k = 0; k < after; k++) {
            int position = names.size() - after + k;
            names.set(position, name(select.get(star + 1 + k), position));
        }
        return names;
    }

    /**
     * A column reference's own name, however qualified ({@code col}, {@code t.col},
     * {@code ns.t.col}, or a struct field {@code s.field}): the last part, as Athena names it.
     */
    private static String referencedName(JsonNode e) {
        JsonNode names = e.path("column_names");
        return "COLUMN_REF".equals(e.path("type").asText()) && names.size() > 0 ? names.get(names.size() - 1).asText() : null;
    }

    private static String name(SelectItem item, int position) {
        return item.name() == null ? "_col" + position : item.name().toLowerCase(java.util.Locale.ROOT);
    }

    Set<TableRef> tables() {
        return tables;
    }

    /**
     * Whether the query lists tables or columns rather than naming them: {@code SHOW TABLES},
     * {@code SHOW ALL TABLES}, {@code information_schema}, {@code duckdb_tables()},
     * {@code pragma_table_info('t')}, or names them in strings ({@code query_table('t')}). Those see
     * only the tables that exist in DuckDB, so every table of the catalog has to be there.
     */
    boolean listsCatalog() {
        return listsCatalog;
    }

    /** How many distinct parameters ({@code ?}, {@code $1}, {@code $name}) the query holds. */
    int parameters() {
        return parameters.size();
    }

    /** How many times the query reads the table under this name (joins, subqueries, set operations). */
    int occurrences(TableRef table) {
        return occurrences.getOrDefault(table, 0);
    }

    /**
     * The pushable conditions on a table, ANDed (always true when there are none). They come from the
     * top-level WHERE, so they hold for every read only when the query reads the table once: the
     * caller must not prune with them otherwise.
     */
    Expression filter(TableRef table) {
        Expression e = Expressions.alwaysTrue();
        for (Expression x : filters.getOrDefault(table, List.of())) {
            e = Expressions.and(e, x);
        }
        return e;
    }

    /** The names of the CTEs a node's own WITH defines (lower case). */
    private static Set<String> cteNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (JsonNode entry : node.path("cte_map").path("map")) {
            names.add(entry.path("key").asText().toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    /**
     * Collects the tables the query reads, with each CTE name hiding a table only where SQL puts it
     * in scope: in the rest of its WITH's query and in the CTEs after it (in its own definition only
     * when recursive). A CTE named like a table elsewhere in the query used to hide that table everywhere.
     */
    private void collectTables(JsonNode node, Set<String> visibleCtes) {
        if (node.isArray()) {
            node.forEach(child -> collectTables(child, visibleCtes));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Set<String> ctes = visibleCtes;
        JsonNode map = node.path("cte_map").path("map");
        if (map.size() > 0) {
            ctes = new HashSet<>(visibleCtes);
            for (JsonNode entry : map) {
                String name = entry.path("key").asText().toLowerCase(java.util.Locale.ROOT);
                JsonNode query = entry.path("value").path("query");
                Set<String> inDefinition = ctes;
                if ("RECURSIVE_CTE_NODE".equals(query.path("node").path("type").asText())) {
                    inDefinition = new HashSet<>(ctes);
                    inDefinition.add(name);
                }
                collectTables(query, Set.copyOf(inDefinition));
                ctes.add(name);
            }
        }
        String type = node.path("type").asText();
        if ("PARAMETER".equals(node.path("class").asText())) {
            parameters.add(node.path("identifier").asText()); // ?, $1 or $name
        }
        if ("SHOW_REF".equals(type) && !node.path("query").isObject()) {
            listsCatalog = true; // SHOW TABLES, SHOW ALL TABLES, DESCRIBE; "DESCRIBE t" holds a query naming t
        } else if ("TABLE_FUNCTION".equals(type)) {
            String function = node.path("function").path("function_name").asText().toLowerCase(java.util.Locale.ROOT);
            // query_table('t') and query('SQL') name tables in strings: with every table listed, reading
            // one there fails with a line saying where to name it, not "Table ... does not exist"
            listsCatalog |= function.startsWith("duckdb_") || function.startsWith("pragma_")
                    || function.equals("query_table") || function.equals("query");
        }
        if ("BASE_TABLE".equals(type)) {
            String schema = node.path("schema_name").asText("");
            String name = node.path("table_name").asText();
            listsCatalog |= isSystem(schema, name);
            if (!(schema.isEmpty() && ctes.contains(name.toLowerCase(java.util.Locale.ROOT)))) {
                tables.add(new TableRef(schema, name));
                occurrences.merge(new TableRef(schema, name), 1, Integer::sum);
            }
        }
        for (var field = node.fields(); field.hasNext(); ) {
            var child = field.next();
            if (!child.getKey().equals("cte_map")) {
                collectTables(child.getValue(), ctes);
            }
        }
    }

    /** DuckDB's own catalog tables and views: information_schema.*, pg_catalog.*, duckdb_*. */
    static boolean isSystem(String schema, String name) {
        String s = schema.toLowerCase(java.util.Locale.ROOT);
        return s.equals("information_schema") || s.equals("pg_catalog") || name.toLowerCase(java.util.Locale.ROOT).startsWith("duckdb_");
    }

    /** Conditions of the top-level WHERE, by the table (alias) their column belongs to. */
    private void collectFilters(JsonNode select, Set<String> ctes) {
        if (select.path("sample").isObject()) {
            return; // USING SAMPLE draws its rows before the WHERE: fewer rows to draw from change what it draws
        }
        Map<String, TableRef> aliases = new LinkedHashMap<>();
        collectFromTables(select.path("from_table"), aliases, ctes);
        if (aliases.isEmpty()) {
            return;
        }
        List<JsonNode> conjuncts = new ArrayList<>();
        flattenAnd(select.path("where_clause"), conjuncts);
        for (JsonNode c : conjuncts) {
            Pushed p = convert(c);
            if (p == null) {
                continue;
            }
            TableRef target;
            if (p.qualifier() == null) {
                if (aliases.size() != 1) {
                    continue; // unqualified column with several tables: not sure whose
                }
                target = aliases.values().iterator().next();
            } else {
                target = aliases.get(p.qualifier().toLowerCase(java.util.Locale.ROOT));
            }
            if (target != null) {
                filters.computeIfAbsent(target, k -> new ArrayList<>()).add(p.expression());
            }
        }
    }

    private void collectFromTables(JsonNode from, Map<String, TableRef> aliases, Set<String> ctes) {
        if (from.path("sample").isObject()) {
            return; // TABLESAMPLE draws from all the rows, before the WHERE
        }
        switch (from.path("type").asText()) {
            case "BASE_TABLE" -> {
                if (from.path("column_name_alias").size() > 0) {
                    return; // t AS u(a, b): the WHERE's names are the alias's, not the table's columns
                }
                String schema = from.path("schema_name").asText("");
                String name = from.path("table_name").asText();
                if (schema.isEmpty() && ctes.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    return;
                }
                TableRef ref = new TableRef(schema, name);
                String alias = from.path("alias").asText("");
                aliases.put((alias.isEmpty() ? name : alias).toLowerCase(java.util.Locale.ROOT), ref);
            }
            case "JOIN" -> {
                String ref = from.path("ref_type").asText();
                if (ref.equals("POSITIONAL") || ref.equals("ASOF")) {
                    return; // which row pairs with which depends on all the rows of each side, not only those the WHERE keeps
                }
                collectFromTables(from.path("left"), aliases, ctes);
                collectFromTables(from.path("right"), aliases, ctes);
            }
            default -> {
                // subqueries, table functions: nothing to push into
            }
        }
    }

    private static void flattenAnd(JsonNode e, List<JsonNode> into) {
        if (e.isMissingNode() || e.isNull()) {
            return;
        }
        if ("CONJUNCTION_AND".equals(e.path("type").asText())) {
            e.path("children").forEach(c -> flattenAnd(c, into));
        } else {
            into.add(e);
        }
    }

    private record Pushed(String qualifier, Expression expression) {
    }

    private record Column(String qualifier, String name) {
    }

    private static Column column(JsonNode e) {
        if (!"COLUMN_REF".equals(e.path("type").asText())) {
            return null;
        }
        JsonNode names = e.path("column_names");
        if (names.size() == 1) {
            return new Column(null, names.get(0).asText());
        }
        if (names.size() == 2) {
            return new Column(names.get(0).asText(), names.get(1).asText());
        }
        return null;
    }

    /** A constant's Java value, or null when it is not a plain literal. */
    private static Object constant(JsonNode e) {
        if ("OPERATOR_CAST".equals(e.path("type").asText())) {
            // a cast can change the value DuckDB compares (CAST('2024-06-01T23:00' AS DATE) is midnight):
            // only casts that keep a literal's text as its value are followed; PruningLiterals then
            // checks that text against the column's type
            Object inner = constant(e.path("child"));
            if (!(inner instanceof String text)) {
                return null;
            }
            boolean offset = text.matches(".*[ T].*(Z|[+-]\\d{2}(:?\\d{2})?)$");
            return switch (e.path("cast_type").path("id").asText()) {
                case "VARCHAR" -> text;
                case "DATE" -> text.matches("\\d{4}-\\d{2}-\\d{2}") ? new PruningLiterals.TemporalText(text) : null;
                case "TIMESTAMP" -> offset ? null : new PruningLiterals.TemporalText(text);
                case "TIMESTAMP WITH TIME ZONE" -> new PruningLiterals.TemporalText(text); // no offset: UTC, the session's zone
                default -> null;
            };
        }
        if (!"VALUE_CONSTANT".equals(e.path("type").asText()) || e.path("value").path("is_null").asBoolean(false)) {
            return null;
        }
        JsonNode v = e.path("value");
        String type = v.path("type").path("id").asText();
        JsonNode value = v.path("value");
        return switch (type) {
            case "VARCHAR" -> value.asText();
            case "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER" -> value.isNumber() ? value.longValue() : null;
            case "DOUBLE", "FLOAT" -> value.isNumber() ? value.doubleValue() : null;
            case "DECIMAL" -> value.isNumber()
                    ? new BigDecimal(value.bigIntegerValue(), v.path("type").path("type_info").path("scale").asInt()) : null;
            case "BOOLEAN" -> value.asBoolean();
            default -> null;
        };
    }

    private static Pushed convert(JsonNode e) {
        String type = e.path("type").asText();
        switch (type) {
            case "COMPARE_EQUAL", "COMPARE_NOTEQUAL", "COMPARE_LESSTHAN", "COMPARE_GREATERTHAN",
                 "COMPARE_LESSTHANOREQUALTO", "COMPARE_GREATERTHANOREQUALTO" -> {
                Column col = column(e.path("left"));
                Object value = constant(e.path("right"));
                boolean flipped = false;
                if (col == null) {
                    col = column(e.path("right"));
                    value = constant(e.path("left"));
                    flipped = true;
                }
                if (col == null || value == null) {
                    return null;
                }
                String c = col.name();
                Expression x = switch (type) {
                    case "COMPARE_EQUAL" -> Expressions.equal(c, value);
                    case "COMPARE_NOTEQUAL" -> Expressions.notEqual(c, value);
                    case "COMPARE_LESSTHAN" -> flipped ? Expressions.greaterThan(c, value) : Expressions.lessThan(c, value);
                    case "COMPARE_GREATERTHAN" -> flipped ? Expressions.lessThan(c, value) : Expressions.greaterThan(c, value);
                    case "COMPARE_LESSTHANOREQUALTO" -> flipped ? Expressions.greaterThanOrEqual(c, value)
                            : Expressions.lessThanOrEqual(c, value);
                    default -> flipped ? Expressions.lessThanOrEqual(c, value) : Expressions.greaterThanOrEqual(c, value);
                };
                return new Pushed(col.qualifier(), x);
            }
            case "COMPARE_IN" -> {
                JsonNode children = e.path("children");
                Column col = column(children.path(0));
                if (col == null) {
                    return null;
                }
                List<Object> values = new ArrayList<>();
                for (int i = 1; i < children.size(); i++) {
                    Object v = constant(children.get(i));
                    if (v == null) {
                        return null;
                    }
                    values.add(v);
                }
                return new Pushed(col.qualifier(), Expressions.in(col.name(), values.toArray()));
            }
            case "COMPARE_BETWEEN" -> {
                Column col = column(e.path("input"));
                Object lo = constant(e.path("lower"));
                Object hi = constant(e.path("upper"));
                if (col == null || lo == null || hi == null) {
                    return null;
                }
                return new Pushed(col.qualifier(), Expressions.and(
                        Expressions.greaterThanOrEqual(col.name(), lo), Expressions.lessThanOrEqual(col.name(), hi)));
            }
            default -> {
                return null;
            }
        }
    }
}
