package dev.lakehouse.athena;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL Athena runs when it is the engine for the heavy jobs (compact, expire, convert). Pure
 * text, so every statement is visible with --dry-run and checked by golden tests.
 */
public final class AthenaStatements {
    private AthenaStatements() {
    }

    /** {@code "db"."table"}. */
    public static String table(String database, String table) {
        return quote(database) + "." + quote(table);
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code `db`.`table`} for DDL (ALTER TABLE): Athena parses DDL with Hive's grammar, where names
     * are quoted in backticks and double quotes make a string.
     */
    static String ddlTable(String database, String table) {
        return ddlQuote(database) + "." + ddlQuote(table);
    }

    private static String ddlQuote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** Athena's DDL reserved words (its reserved-words page): a bare table name must not be one. */
    private static final java.util.Set<String> DDL_RESERVED = java.util.Set.of("all", "alter", "and", "array", "as",
            "authorization", "between", "bigint", "binary", "boolean", "both", "by", "case", "cashe", "cast", "char", "column",
            "conf", "constraint", "commit", "create", "cross", "cube", "current", "current_date", "current_timestamp", "cursor",
            "database", "date", "dayofweek", "decimal", "delete", "describe", "distinct", "div", "double", "drop", "else", "end",
            "exchange", "exists", "extended", "external", "extract", "false", "fetch", "float", "floor", "following", "for",
            "foreign", "from", "full", "function", "grant", "group", "grouping", "having", "if", "import", "in", "inner",
            "insert", "int", "integer", "intersect", "interval", "into", "is", "join", "lateral", "left", "less", "like", "local",
            "macro", "map", "more", "none", "not", "null", "numeric", "of", "on", "only", "or", "order", "out", "outer", "over",
            "partialscan", "partition", "percent", "preceding", "precision", "preserve", "primary", "procedure", "range",
            "reads", "reduce", "regexp", "references", "revoke", "right", "rlike", "rollback", "rollup", "row", "rows", "select",
            "set", "smallint", "start", "table", "tablesample", "then", "time", "timestamp", "to", "transform", "trigger",
            "true", "truncate", "unbounded", "union", "uniquejoin", "update", "user", "using", "utc_timestamp", "values",
            "varchar", "views", "when", "where", "window", "with");

    /** A name for VACUUM: bare when it can be, in backticks when it starts with _, is reserved, or has other characters. */
    private static String vacuumName(String name) {
        boolean bare = name.matches("[a-z][a-z0-9_]*") && !DDL_RESERVED.contains(name);
        return bare ? name : ddlQuote(name);
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Compaction: Athena's OPTIMIZE ... REWRITE DATA USING BIN_PACK, after setting the target file
     * size it reads from the table's properties when one is given.
     */
    public static List<String> compact(String database, String table, Long targetSize, String where) {
        List<String> statements = new ArrayList<>();
        if (targetSize != null) {
            statements.add("ALTER TABLE " + ddlTable(database, table) + " SET TBLPROPERTIES ("
                    + literal("write_target_data_file_size_bytes") + "=" + literal(Long.toString(targetSize)) + ")");
        }
        statements.add("OPTIMIZE " + table(database, table) + " REWRITE DATA USING BIN_PACK"
                + (where == null || where.isBlank() ? "" : " WHERE " + where.strip()));
        return statements;
    }

    /**
     * Snapshot expiry: Athena's VACUUM, with the table properties it reads set from the command's
     * options (it also removes orphan files older than the same age). VACUUM wants backticks, not
     * double quotes, around a table name that starts with an underscore or is a reserved word.
     */
    public static List<String> expire(String database, String table, Duration olderThan, int retainLast) {
        String vacuumTarget = vacuumName(database) + "." + vacuumName(table);
        return List.of(
                "ALTER TABLE " + ddlTable(database, table) + " SET TBLPROPERTIES ("
                        + literal("vacuum_max_snapshot_age_seconds") + "=" + literal(Long.toString(olderThan.toSeconds())) + ", "
                        + literal("vacuum_min_snapshots_to_keep") + "=" + literal(Integer.toString(retainLast)) + ")",
                "VACUUM " + vacuumTarget);
    }

    /** A timestamp(6) [with time zone] from a bigint of microseconds since the epoch, exactly. */
    static String fromMicros(String micros, boolean zoned) {
        return "CAST(from_unixtime_nanos(CAST(" + micros + " AS decimal(19, 0)) * 1000) AT TIME ZONE 'UTC' AS timestamp(6)"
                + (zoned ? " with time zone" : "") + ")";
    }

    /** Where the raw rows come from and how the SQL names their file: Athena's Glue table, or DuckDB for tests. */
    public record RawSource(String relation, String pathColumn) {
        /** The Glue table over the raw folder; Athena exposes each row's file as "$path". */
        public static RawSource athena(String rawDatabase, String rawTable) {
            return new RawSource(table(rawDatabase, rawTable), quote("$path"));
        }
    }

    /**
     * Applies exactly the given raw files to the table in one MERGE: per key, the last change
     * (full-load rows before changes, then by the change sequence: SQL cannot see a row's position
     * in its file); D deletes, anything else upserts. Athena's MERGE fails when several source rows
     * match one target row, hence the row_number() = 1 inside.
     *
     * @param rawColumns the raw table's columns (lower case). Only those can be named: a batch of
     *     full-load files has no Op column (DMS writes none unless IncludeOpForFullLoad), and a column
     *     the source dropped is in the table but in no new raw file; it is NULL in the rows applied,
     *     as in the in-process convert.
     * @param microsColumns raw columns (lower case) the raw table declares {@code bigint} because their
     *     files hold INT64 TIMESTAMP(MICROS) ({@link RawGlueTables#microsColumns}), each mapped to
     *     whether it is a timestamptz: converted here to timestamp(6) [with time zone] from their
     *     microseconds since the epoch, so none is lost (a Hive timestamp column would be rounded to
     *     milliseconds by Athena). Via a decimal, so that year-9999 sentinels do not overflow
     *     from_unixtime_nanos's nanoseconds; at UTC, whatever the session's time zone.
     */
    public static String merge(String database, String table, RawSource raw, List<String> files, List<String> key,
                               List<String> columns, String sequenceColumn, java.util.Set<String> rawColumns,
                               java.util.Map<String, Boolean> microsColumns) {
        java.util.function.Function<String, String> source = c -> {
            String lower = c.toLowerCase(java.util.Locale.ROOT);
            if (!rawColumns.contains(lower)) {
                return "NULL";
            }
            Boolean zoned = microsColumns.get(lower);
            return zoned == null ? "s." + quote(c) : fromMicros("s." + quote(c), zoned);
        };
        boolean hasOp = rawColumns.contains("op");
        String keyList = key.stream().map(k -> "r." + quote(k)).collect(Collectors.joining(", "));
        String fileList = files.stream().map(AthenaStatements::literal).collect(Collectors.joining(", "));
        String on = key.stream().map(k -> "t." + quote(k) + " = " + source.apply(k)).collect(Collectors.joining(" AND "));
        List<String> nonKey = columns.stream().filter(c -> !key.contains(c)).toList();
        String set = nonKey.stream().map(c -> quote(c) + " = " + source.apply(c)).collect(Collectors.joining(", "));
        String insertColumns = columns.stream().map(AthenaStatements::quote).collect(Collectors.joining(", "));
        String insertValues = columns.stream().map(source).collect(Collectors.joining(", "));
        String phase = "CASE WHEN r." + raw.pathColumn() + " LIKE '%/LOAD________.%' THEN 0 ELSE 1 END";
        StringBuilder sql = new StringBuilder();
        sql.append("MERGE INTO ").append(table(database, table)).append(" t\n")
                .append("USING (\n")
                .append("  SELECT * FROM (\n")
                .append("    SELECT r.*, row_number() OVER (PARTITION BY ").append(keyList).append("\n")
                .append("      ORDER BY ").append(phase).append(" DESC, r.").append(quote(sequenceColumn))
                .append(" DESC NULLS LAST) AS lakehouse_rank\n")
                .append("    FROM ").append(raw.relation()).append(" r\n")
                .append("    WHERE r.").append(raw.pathColumn()).append(" IN (").append(fileList).append(")\n")
                .append("  ) ranked WHERE lakehouse_rank = 1\n")
                .append(") s\n")
                .append("ON ").append(on).append('\n');
        if (hasOp) {
            sql.append("WHEN MATCHED AND s.\"Op\" = 'D' THEN DELETE\n");
        }
        if (!set.isEmpty()) {
            sql.append("WHEN MATCHED THEN UPDATE SET ").append(set).append('\n');
        }
        sql.append(hasOp ? "WHEN NOT MATCHED AND (s.\"Op\" IS NULL OR s.\"Op\" <> 'D') THEN INSERT (" : "WHEN NOT MATCHED THEN INSERT (")
                .append(insertColumns).append(")\n  VALUES (").append(insertValues).append(")");
        return sql.toString();
    }
}
