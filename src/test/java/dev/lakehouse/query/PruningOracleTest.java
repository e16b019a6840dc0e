package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of pruning: each query's answer equals the same query with its table wrapped in
 * a subquery ({@code (SELECT * FROM w) AS w}), which SqlAnalysis pushes nothing into. Tables hold one
 * row per data file, so any wrongly excluded file loses a row.
 */
class PruningOracleTest {
    @TempDir
    Path dir;

    static final Schema SCHEMA = new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "i", Types.IntegerType.get()),
            Types.NestedField.optional(3, "l", Types.LongType.get()),
            Types.NestedField.optional(4, "d", Types.DoubleType.get()),
            Types.NestedField.optional(5, "f", Types.FloatType.get()),
            Types.NestedField.optional(6, "dec", Types.DecimalType.of(9, 2)),
            Types.NestedField.optional(7, "s", Types.StringType.get()),
            Types.NestedField.optional(8, "dt", Types.DateType.get()),
            Types.NestedField.optional(9, "ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(10, "tz", Types.TimestampType.withZone()),
            Types.NestedField.optional(11, "b", Types.BooleanType.get()));

    static final Object[] INTS = {null, -5, 0, 1, 2, 3, 5, 7, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 10, 11};
    static final Object[] LONGS = {null, 0L, 1L, -1L, 1L << 40, -(1L << 40), 5L, 9007199254740993L, Long.MAX_VALUE, 7L, Long.MIN_VALUE,
            Long.MIN_VALUE + 1};
    static final Object[] DOUBLES = {null, Double.NaN, -0.0, 0.0, 0.1, 0.3682641597334024, 1.5, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY, 1e300, -2.5, 0.6604919446550325, 3.27110785446761, 1.0};
    static final Object[] FLOATS = {null, Float.NaN, -0.0f, 0.0f, 0.1f, 0.5f, 1.5f, -1.0f};
    static final Object[] DECS = {null, new BigDecimal("1.00"), new BigDecimal("1.01"), new BigDecimal("-1.50"),
            new BigDecimal("0.00"), new BigDecimal("1.50"), new BigDecimal("9999999.99")};
    static final Object[] STRINGS = {null, "", "a", "ab", "ab ", "abc", "AB", "é", "\uFF5E", "\uD83D\uDE00", "b", "7", "a\u0000b",
            "zz", "10", "9"};
    static final Object[] DATES = {null, LocalDate.of(2024, 6, 1), LocalDate.of(2024, 5, 31), LocalDate.of(1969, 12, 31),
            LocalDate.of(1900, 1, 1), LocalDate.of(2024, 6, 2), LocalDate.of(1970, 1, 1)};
    static final Object[] TSS = {null, LocalDateTime.of(2024, 6, 1, 0, 0), LocalDateTime.of(2024, 6, 1, 12, 0),
            LocalDateTime.of(2024, 6, 1, 23, 59, 59, 999_999_000), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 500_000_000),
            LocalDateTime.of(2024, 5, 31, 23, 0), LocalDateTime.of(1969, 12, 31, 0, 0), LocalDateTime.of(2024, 6, 1, 10, 0)};
    static final Object[] TZS = {null, odt(2024, 6, 1, 10), odt(2024, 6, 1, 12), odt(2024, 5, 31, 22), odt(2024, 6, 1, 0),
            odt(1969, 12, 31, 23), odt(2024, 6, 2, 0)};
    static final Object[] BOOLS = {null, true, false};

    static OffsetDateTime odt(int y, int m, int d, int h) {
        return OffsetDateTime.of(y, m, d, h, 0, 0, 0, ZoneOffset.UTC);
    }

    static final int ROWS = 48;

    static List<Record> rows() {
        List<Record> rows = new ArrayList<>();
        Object[][] cols = {INTS, LONGS, DOUBLES, FLOATS, DECS, STRINGS, DATES, TSS, TZS, BOOLS};
        int[] strides = {1, 3, 1, 5, 2, 1, 3, 1, 5, 1};
        for (int r = 0; r < ROWS; r++) {
            GenericRecord rec = GenericRecord.create(SCHEMA);
            rec.setField("id", (long) r);
            for (int c = 0; c < cols.length; c++) {
                Object[] vs = cols[c];
                rec.set(c + 1, vs[(r * strides[c] + c) % vs.length]);
            }
            rows.add(rec);
        }
        return rows;
    }

    static final Map<String, Function<PartitionSpec.Builder, PartitionSpec>> SPECS = new LinkedHashMap<>();

    static {
        SPECS.put("w0", PartitionSpec.Builder::build);
        SPECS.put("w_id_s", b -> b.identity("s").build());
        SPECS.put("w_tr_s", b -> b.truncate("s", 1).build());
        SPECS.put("w_bk_s", b -> b.bucket("s", 3).build());
        SPECS.put("w_tr_i", b -> b.truncate("i", 3).build());
        SPECS.put("w_tr_l", b -> b.truncate("l", 3).build());
        SPECS.put("w_bk_l", b -> b.bucket("l", 3).build());
        SPECS.put("w_id_d", b -> b.identity("d").build());
        SPECS.put("w_tr_dec", b -> b.truncate("dec", 50).build());
        SPECS.put("w_id_dt", b -> b.identity("dt").build());
        SPECS.put("w_mo_dt", b -> b.month("dt").build());
        SPECS.put("w_day_ts", b -> b.day("ts").build());
        SPECS.put("w_hr_ts", b -> b.hour("ts").build());
        SPECS.put("w_yr_ts", b -> b.year("ts").build());
        SPECS.put("w_day_tz", b -> b.day("tz").build());
        SPECS.put("w_hr_tz", b -> b.hour("tz").build());
        SPECS.put("w_id_b", b -> b.identity("b").build());
        SPECS.put("w_id_i", b -> b.identity("i").build());
    }

    /** One file per row. */
    static void create(Warehouse w, String name, PartitionSpec spec, List<Record> rows) {
        var tid = w.identifier(name);
        w.ensureNamespace(tid.namespace());
        Table t = w.catalog().createTable(tid, SCHEMA, spec, Map.of("format-version", "2"));
        var append = t.newAppend();
        for (Record r : rows) {
            for (DataFile f : TestTables.writeData(t, List.of(r))) {
                append.appendFile(f);
            }
        }
        append.commit();
    }

    static final Map<String, String[]> LITERALS = new LinkedHashMap<>();

    static {
        LITERALS.put("i", new String[] {"0", "-1", "5", "2147483647", "2147483648", "2.5", "'7'", "1.0", "-0", "10", "-2147483647",
                "-2147483648"});
        LITERALS.put("l", new String[] {"0", "5", "1099511627776", "9007199254740993", "9223372036854775807", "2.5", "'7'",
                "-9223372036854775807", "-9223372036854775808"});
        LITERALS.put("d", new String[] {"0.1", "0", "-0.0", "0.0", "1.5", "0.36826415973340243", "0.3682641597334024",
                "0.660491944655032391", "3.27110785446760998", "1e300", "'NaN'", "1", "CAST('NaN' AS DOUBLE)", "'inf'",
                "-2.5", "1e0"});
        LITERALS.put("f", new String[] {"0.1", "0.5", "0", "1.5", "0.1::FLOAT", "-1"});
        LITERALS.put("dec", new String[] {"1", "1.005", "1.0", "1.01", "1.5", "0.5e0", "'1.01'", "0", "9999999.99", "-1.5"});
        LITERALS.put("s", new String[] {"'a'", "'ab'", "'ab '", "'\uFF5E'", "'\uD83D\uDE00'", "'é'", "'AB'", "'7'", "7", "''",
                "'b'", "'10'", "'9'"});
        LITERALS.put("dt", new String[] {"'2024-06-01'", "DATE '2024-06-01'", "TIMESTAMP '2024-06-01 12:00'",
                "'2024-06-01 12:00'", "TIMESTAMP '2024-05-31 23:00'", "'1969-12-31'", "TIMESTAMP '2024-06-01'",
                "TIMESTAMPTZ '2024-06-01 00:00:00+00'", "'2024-6-1'"});
        LITERALS.put("ts", new String[] {"'2024-06-01'", "DATE '2024-06-01'", "'2024-06-01 12:00'", "TIMESTAMP '2024-06-01 12:00:00'",
                "'2024-06-01T12:00:00Z'", "TIMESTAMPTZ '2024-06-01 12:00:00+02'", "'1969-12-31 23:59:59.5'", "'2024-06-01 10:00:00+02'",
                "'1969-12-31'", "'2024-06-01 23:59:59.999999'", "TIMESTAMPTZ '2024-06-01 12:00'"});
        LITERALS.put("tz", new String[] {"'2024-06-01 12:00:00+02'", "'2024-06-01T10:00:00Z'", "TIMESTAMP '2024-06-01 10:00'",
                "DATE '2024-06-01'", "'2024-06-01'", "TIMESTAMPTZ '2024-06-01 12:00:00+02:00'", "'1969-12-31 23:00:00Z'",
                "'2024-06-01 10:00:00+00'", "TIMESTAMPTZ '2024-06-01 10:00'", "'2024-06-01 09:59:59.999999'",
                "CAST('2024-05-31' AS TIMESTAMPTZ)"});
        LITERALS.put("b", new String[] {"true", "false", "'true'", "1"});
    }

    static final Map<String, String> SOURCE = new java.util.TreeMap<>(Map.ofEntries(Map.entry("w_id_s", "s"), Map.entry("w_tr_s", "s"), Map.entry("w_bk_s", "s"),
            Map.entry("w_tr_i", "i"), Map.entry("w_bk_l", "l"), Map.entry("w_tr_l", "l"), Map.entry("w_id_d", "d"), Map.entry("w_tr_dec", "dec"),
            Map.entry("w_id_dt", "dt"), Map.entry("w_mo_dt", "dt"), Map.entry("w_day_ts", "ts"), Map.entry("w_hr_ts", "ts"),
            Map.entry("w_yr_ts", "ts"), Map.entry("w_day_tz", "tz"), Map.entry("w_hr_tz", "tz"), Map.entry("w_id_b", "b"),
            Map.entry("w_id_i", "i")));

    static List<String> conditions(String col) {
        List<String> out = new ArrayList<>();
        String[] lits = LITERALS.get(col);
        for (int k = 0; k < lits.length; k++) {
            String lit = lits[k];
            for (String op : new String[] {"=", "<>", "<", "<=", ">", ">="}) {
                out.add(col + " " + op + " " + lit);
            }
            out.add(lit + " < " + col);
            out.add(col + " IN (" + lit + ", " + lits[(k + 1) % lits.length] + ")");
            out.add(col + " BETWEEN " + lit + " AND " + lits[(k + 2) % lits.length]);
        }
        return out;
    }

    LakehouseFixture fx;
    final List<String> failures = new ArrayList<>();
    int checked;

    List<String> run(String sql) {
        CliRun.Result r = fx.cli().run("query", sql, "-o", "csv");
        if (r.exitCode() != 0) {
            return List.of("ERROR " + r.errorLine());
        }
        List<String> lines = new ArrayList<>(r.out().lines().toList());
        if (lines.isEmpty()) {
            return lines;
        }
        String header = lines.remove(0);
        lines.sort(null);
        lines.add(0, header);
        return lines;
    }

    static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile("\\{(\\w+)( [^}]*)?\\}");

    /**
     * {name} or {name alias-clause} is a table: read directly, or in a subquery nothing is pushed into
     * ({@code (SELECT * FROM name) AS name}, or with the given alias clause).
     */
    /** Also keeps DuckDB from pushing the WHERE into its Parquet reads (it does not push filters through a LIMIT). */
    boolean strong;

    void check(String template) {
        checked++;
        String lim = strong ? " LIMIT 1000000000" : "";
        String direct = TABLE.matcher(template).replaceAll(m -> m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        String oracle = TABLE.matcher(template).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(2) != null && m.group(2).startsWith(" FOR ") ? "(SELECT * FROM " + m.group(1) + m.group(2) + lim + ") AS " + m.group(1)
                : "(SELECT * FROM " + m.group(1) + lim + ")" + (m.group(2) == null ? " AS " + m.group(1) : m.group(2))));
        List<String> got = run(direct);
        List<String> want = run(oracle);
        boolean bothFail = !got.isEmpty() && !want.isEmpty() && got.get(0).startsWith("ERROR") && want.get(0).startsWith("ERROR");
        if (!got.equals(want) && !bothFail) {
            failures.add(direct + "\n    got  " + got.size() + ": " + shorten(got) + "\n    want " + want.size() + ": " + shorten(want)
                    + "\n    oracle " + oracle);
        }
    }

    static String shorten(List<String> l) {
        String s = String.join(" / ", l);
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    void setUpTables(String... names) {
        fx = LakehouseFixture.local(dir);
        List<Record> rows = rows();
        try (Warehouse w = fx.warehouse()) {
            for (String n : names) {
                create(w, n, SPECS.get(n).apply(PartitionSpec.builderFor(SCHEMA)), rows);
            }
        }
    }

    void report() throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/pruning-oracle-report.txt"), checked + " queries\n" + String.join("\n", failures));
        System.out.println("pruning oracle: " + checked + " queries, " + failures.size() + " wrong");
        assertEquals(List.of(), failures.stream().map(f -> f.lines().findFirst().orElse("")).toList(),
                "see target/pruning-oracle-report.txt");
    }

    /**
     * Every condition on every column, on the unpartitioned table and on the tables each column
     * partitions: ~2,450 queries, ~140 s. A run takes every {@code -Dpruning.stride=N}th (default 6,
     * ~25 s; 1 for all), each operator and literal still met on some column.
     */
    @Test
    void simple_conditions_on_every_type_and_transform() throws Exception {
        setUpTables(SPECS.keySet().toArray(String[]::new));
        List<String> all = new ArrayList<>();
        for (String col : LITERALS.keySet()) {
            for (String c : conditions(col)) {
                all.add("SELECT id FROM {w0} WHERE " + c);
            }
        }
        for (var e : SOURCE.entrySet()) {
            for (String c : conditions(e.getValue())) {
                all.add("SELECT id FROM {" + e.getKey() + "} WHERE " + c);
            }
        }
        int stride = Integer.getInteger("pruning.stride", 6);
        for (int k = 0; k < all.size(); k += stride) {
            check(all.get(k));
        }
        report();
    }

    static final List<String> SHAPES = List.of(
            "SELECT * FROM {w0 AS u(i, id)} WHERE i = 3",
            "SELECT u.i, u.id FROM {w0 AS u(i, id)} WHERE u.i = 3 AND u.id = 3",
            "SELECT a.id, b.id FROM {w0 a} POSITIONAL JOIN {w_id_s b} WHERE b.s = 'ab'",
            "SELECT a.id, b.id FROM {w0 a} POSITIONAL JOIN {w_id_s b} WHERE a.i = 3",
            "SELECT a.id, b.id, b.s FROM {w0 a} ASOF JOIN {w_id_s b} ON a.id >= b.id WHERE b.s = 'ab'",
            "SELECT a.id, b.id, b.s FROM {w0 a} ASOF LEFT JOIN {w_id_s b} ON a.id >= b.id WHERE b.s = 'ab'",
            "SELECT count(*) FROM {w0 TABLESAMPLE 5 ROWS (reservoir, 7)} WHERE i = 3",
            "SELECT count(*) FROM {w0} WHERE i = 3 USING SAMPLE 5 ROWS (reservoir, 7)",
            "SELECT a.id, b.id FROM {w0 a} LEFT JOIN {w_id_s b} ON a.id = b.id AND b.s = 'ab' WHERE a.i = 3",
            "SELECT a.id, b.id FROM {w0 a} LEFT JOIN {w_id_s b} ON a.id = b.id WHERE b.s = 'ab'",
            "SELECT a.id, b.id FROM {w0 a} RIGHT JOIN {w_id_s b} ON a.id = b.id AND a.i = 3 WHERE b.s = 'ab'",
            "SELECT a.id, b.id FROM {w0 a} FULL JOIN {w_id_s b} ON a.id = b.id AND a.i = 3",
            "SELECT a.id FROM {w0 a} WHERE a.id IN (SELECT id FROM {w_id_s} WHERE s = 'ab')",
            "SELECT a.id FROM {w0 a} WHERE EXISTS (SELECT 1 FROM {w_id_s b} WHERE b.id = a.id AND b.s = 'ab') AND a.i > 0",
            "SELECT a.id FROM {w0 a} WHERE NOT EXISTS (SELECT 1 FROM {w_id_s b} WHERE b.id = a.id AND b.s = 'ab') AND a.i > 0",
            "WITH c AS (SELECT * FROM {w0} WHERE i = 3) SELECT id FROM c WHERE id > 5",
            "SELECT id FROM {w0} WHERE i = 3 UNION ALL SELECT id FROM {w_id_s} WHERE s = 'ab'",
            "SELECT id FROM {w0} WHERE i = 3 EXCEPT SELECT id FROM {w_id_s} WHERE s = 'ab'",
            "SELECT id, lag(id) OVER (ORDER BY id), count(*) OVER () FROM {w0} WHERE i = 3",
            "SELECT i, count(*) FROM {w0} WHERE i > 0 GROUP BY i HAVING count(*) > 1",
            "SELECT a.id FROM {w0 a} JOIN {w0 b} ON a.id = b.id + 1 WHERE a.i = 3",
            "SELECT id FROM {w0} WHERE i = 3 AND id > (SELECT min(id) FROM {w0} WHERE i = 3)",
            "SELECT id, z FROM {w0}, (SELECT 5 AS z) s WHERE z = 5 AND i = 3",
            "SELECT id FROM (SELECT 3::BIGINT AS id) s FULL JOIN {w0 a} USING (id) WHERE id = 3",
            "SELECT id FROM (SELECT 3::BIGINT AS id) s NATURAL LEFT JOIN {w0 a} WHERE i = 3",
            "SELECT a.id, x.c FROM {w0 a}, LATERAL (SELECT count(*) c FROM {w_id_s b} WHERE b.id < a.id) x WHERE a.i = 3",
            "SELECT a.id FROM {w0 a} SEMI JOIN {w_id_s b} ON a.id = b.id WHERE a.i = 3",
            "SELECT a.id FROM {w0 a} ANTI JOIN {w_id_s b} ON a.id = b.id AND b.s = 'ab' WHERE a.i = 3",
            "SELECT id + 100 AS k FROM {w0} WHERE k = 103",
            "SELECT id AS i FROM {w0} WHERE i = 3",
            "SELECT id FROM {w0} WHERE NOT (i = 3)",
            "SELECT id FROM {w0} WHERE i IS DISTINCT FROM 3",
            "SELECT id FROM {w0} WHERE coalesce(i, 0) = 0",
            "SELECT id FROM {w0} WHERE i NOT IN (3, NULL)",
            "SELECT id FROM {w0} WHERE i NOT IN (3, 5)",
            "SELECT id FROM {w0} WHERE i NOT BETWEEN 0 AND 5",
            "SELECT id FROM {w0} WHERE (i = 3 OR s = 'ab')",
            "SELECT id FROM {w0} WHERE i = 3 OR i IS NULL",
            "SELECT id FROM {w0} WHERE CASE WHEN i = 3 THEN true ELSE s = 'ab' END",
            "SELECT id FROM {w0} WHERE upper(s) = 'AB'",
            "SELECT id FROM {w0} WHERE s LIKE 'ab%'",
            "SELECT id FROM {w_tr_s} WHERE s LIKE 'ab%'",
            "SELECT id FROM {w_id_s} WHERE s ^@ 'ab'",
            "SELECT id FROM {w0} WHERE i + 1 > 5",
            "SELECT id FROM {w0} WHERE CAST(i AS VARCHAR) = '1'",
            "SELECT id FROM {w0} WHERE s = 'ab' COLLATE nocase",
            "SELECT id FROM {w0} WHERE s COLLATE nocase = 'ab'",
            "SELECT id FROM {w0} WHERE b",
            "SELECT id FROM {w0} WHERE NOT b",
            "SELECT id FROM {w0} WHERE b IS NOT TRUE",
            "SELECT id FROM {w0} WHERE d = 'NaN'::DOUBLE",
            "SELECT id FROM {w0} WHERE d < 1e400",
            "SELECT id FROM {w0} WHERE d <= 'Infinity'",
            "SELECT id FROM {w0} WHERE d = -2.5",
            "SELECT id FROM {w0} WHERE d < -2",
            "SELECT id FROM {w0} WHERE i = -5",
            "SELECT id FROM {w0} WHERE i > -6 AND i < -4",
            "SELECT id FROM {w0} WHERE dec = -1.50",
            "SELECT id FROM {w0} WHERE dec < -1",
            "SELECT id FROM {w0} WHERE i = ANY([3, 5])",
            "SELECT id FROM {w0} WHERE i IN (SELECT 3)",
            "SELECT id FROM {w0} WHERE i > ALL (SELECT 3)",
            "SELECT id FROM {w0} WHERE i = TRY_CAST('3' AS INTEGER)",
            "SELECT id FROM {w0} WHERE ts = TRY_CAST('2024-06-01 12:00' AS TIMESTAMP)",
            "SELECT id FROM {w0} WHERE dt = CAST('2024-06-01' AS DATE)",
            "SELECT id FROM {w0} WHERE ts = CAST('2024-06-01' AS DATE)",
            "SELECT id FROM {w0} WHERE tz >= CAST('2024-06-01 10:00:00+00' AS TIMESTAMPTZ)",
            "SELECT id FROM {w0} WHERE tz >= '2024-06-01 12:00:00+02:00' AND tz < '2024-06-01 12:00:00+00:00'",
            "SELECT id FROM {w_hr_tz} WHERE tz >= '2024-06-01 12:00:00+02:30'",
            "SELECT id FROM {w_hr_tz} WHERE tz >= '2024-06-01 12:00:00-0930'",
            "SELECT id FROM {w_hr_ts} WHERE ts >= '2024-06-01 12:00:00 '",
            "SELECT id FROM {w_hr_ts} WHERE ts = ' 2024-06-01 12:00:00'",
            "SELECT id FROM {w_day_ts} WHERE ts < '1970-01-01'",
            "SELECT id FROM {w_day_ts} WHERE ts <= '1969-12-31 23:59:59.5'",
            "SELECT id FROM {w_yr_ts} WHERE ts < '1970-01-01 00:00:00'",
            "SELECT id FROM {w_mo_dt} WHERE dt < '1970-01-01'",
            "SELECT id FROM {w_mo_dt} WHERE dt <= '1969-12-31'",
            "SELECT id FROM {w0} WHERE \"I\" = 3",
            "SELECT id FROM {w0 \"W\"} WHERE \"W\".i = 3",
            "SELECT id FROM {w0} WHERE w0.i = 3",
            "SELECT id FROM {w0} WHERE i = 3 AND i = 5",
            "SELECT id FROM {w0} WHERE i IN (3)",
            "SELECT id FROM {w0} WHERE i BETWEEN 5 AND 3",
            "SELECT id FROM {w0} WHERE i = 3.0",
            "SELECT id FROM {w0} WHERE l = 9007199254740993",
            "SELECT id FROM {w0} WHERE d = 9007199254740993",
            "SELECT id FROM {w0} WHERE d < 9007199254740992",
            "SELECT id FROM {w0} WHERE f = 0.5",
            "SELECT id FROM {w0} WHERE f < 0.1",
            "SELECT id FROM {w0} WHERE s > '\uFF5E'",
            "SELECT id FROM {w0} WHERE s < '\uD83D\uDE00'",
            "SELECT id FROM {w_tr_s} WHERE s >= '\uFF5E'",
            "SELECT id FROM {w_tr_s} WHERE s < 'a\uD83D\uDE00'",
            "SELECT id FROM {w0} WHERE s = 'ab' AND s = 'ab '",
            "SELECT id FROM {w_id_s} WHERE s = 'ab '",
            "SELECT id FROM {w0} WHERE s < 'a\u0001'");

    @Test
    void query_shapes() throws Exception {
        setUpTables(SPECS.keySet().toArray(String[]::new));
        SHAPES.forEach(this::check);
        report();
    }

    static Record row(Schema schema, Object... values) {
        GenericRecord r = GenericRecord.create(schema);
        for (int i = 0; i < values.length; i++) {
            r.set(i, values[i]);
        }
        return r;
    }

    static void appendEach(Table t, List<Record> rows) {
        var append = t.newAppend();
        for (Record r : rows) {
            TestTables.writeData(t, List.of(r)).forEach(append::appendFile);
        }
        append.commit();
    }

    @Test
    void schema_and_spec_evolution_and_time_travel() throws Exception {
        fx = LakehouseFixture.local(dir);
        long snap1;
        long snap2;
        long snap3;
        try (Warehouse w = fx.warehouse()) {
            var tid = w.identifier("ev");
            w.ensureNamespace(tid.namespace());
            Schema s1 = new Schema(
                    Types.NestedField.optional(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "a", Types.IntegerType.get()),
                    Types.NestedField.optional(3, "s", Types.StringType.get()),
                    Types.NestedField.optional(4, "ts", Types.TimestampType.withoutZone()),
                    Types.NestedField.optional(5, "m", Types.DecimalType.of(9, 2)),
                    Types.NestedField.optional(6, "g", Types.FloatType.get()));
            Table t = w.catalog().createTable(tid, s1, PartitionSpec.builderFor(s1).identity("s").build(), Map.of("format-version", "2"));
            List<Record> rows = new ArrayList<>();
            for (int r = 0; r < 12; r++) {
                rows.add(row(t.schema(), (long) r, r % 4 == 0 ? (r == 4 ? (Object) Integer.MIN_VALUE : null) : (Object) (r % 5),
                        List.of("a", "b", "c").get(r % 3), LocalDateTime.of(2024, 6, 1 + r % 3, r, 0),
                        r == 5 ? new BigDecimal("9999999.99") : BigDecimal.valueOf(r * 37 - 200, 2), r == 7 ? 0.1f : r * 0.5f - 2));
            }
            appendEach(t, rows);
            snap1 = t.currentSnapshot().snapshotId();
            t.updateSchema().addColumn("x", Types.IntegerType.get()).renameColumn("a", "a2").commit();
            t.updateSpec().removeField("s").addField(org.apache.iceberg.expressions.Expressions.day("ts")).commit();
            rows.clear();
            for (int r = 12; r < 24; r++) {
                rows.add(row(t.schema(), (long) r, r % 5, List.of("a", "b", "c").get(r % 3),
                        LocalDateTime.of(2024, 6, 1 + r % 3, r % 24, 0), BigDecimal.valueOf(r * 37 - 200, 2), r * 0.5f - 2,
                        r % 3 == 0 ? null : r % 7));
            }
            appendEach(t, rows);
            snap2 = t.currentSnapshot().snapshotId();
            t.updateSchema().updateColumn("a2", Types.LongType.get()).renameColumn("s", "s2")
                    .updateColumn("m", Types.DecimalType.of(12, 2)).updateColumn("g", Types.DoubleType.get()).commit();
            rows.clear();
            for (int r = 24; r < 36; r++) {
                rows.add(row(t.schema(), (long) r, r % 5 + (1L << 33), List.of("a", "b", "c").get(r % 3),
                        LocalDateTime.of(2024, 6, 1 + r % 3, r % 24, 0), new BigDecimal("1234567890.12").add(BigDecimal.valueOf(r)),
                        r == 30 ? 0.1 : r * 0.25, r % 7));
            }
            appendEach(t, rows);
            snap3 = t.currentSnapshot().snapshotId();

            // v3 with a column added with a default
            var did = w.identifier("dv");
            Schema d1 = new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "a", Types.IntegerType.get()));
            Table dv = w.catalog().createTable(did, d1, PartitionSpec.unpartitioned(), Map.of("format-version", "3"));
            rows.clear();
            for (int r = 0; r < 6; r++) {
                rows.add(row(dv.schema(), (long) r, r));
            }
            appendEach(dv, rows);
            dv.updateSchema().addColumn("x", Types.IntegerType.get(), org.apache.iceberg.expressions.Literal.of(5)).commit();
            rows.clear();
            for (int r = 6; r < 12; r++) {
                rows.add(row(dv.schema(), (long) r, r, r % 2 == 0 ? null : 7));
            }
            appendEach(dv, rows);
        }
        List<String> q = new ArrayList<>(List.of(
                "SELECT id FROM {ev} WHERE x IS NULL",
                "SELECT id FROM {ev} WHERE x = 5",
                "SELECT id FROM {ev} WHERE x < 3",
                "SELECT id FROM {ev} WHERE x <> 5",
                "SELECT id FROM {ev} WHERE a2 < 3",
                "SELECT id FROM {ev} WHERE a2 >= 8589934592",
                "SELECT id FROM {ev} WHERE a2 = 8589934593",
                "SELECT id FROM {ev} WHERE s2 = 'b'",
                "SELECT id FROM {ev} WHERE s2 < 'b'",
                "SELECT id FROM {ev} WHERE ts < '2024-06-02'",
                "SELECT id FROM {ev} WHERE ts = '2024-06-02 13:00'",
                "SELECT id FROM {ev} WHERE id IN (1, 2, 13, 25)",
                "SELECT id FROM {ev} WHERE id > 20 AND s2 = 'b'",
                "SELECT id FROM {ev} WHERE a2 < 8589934592",
                "SELECT id FROM {ev} WHERE a2 > -8589934592",
                "SELECT id FROM {ev} WHERE a2 <> 8589934592",
                "SELECT id FROM {ev} WHERE a2 < 0",
                "SELECT id FROM {ev} WHERE a2 IN (1, 8589934593)",
                "SELECT id FROM {ev} WHERE m < 99999999.99",
                "SELECT id FROM {ev} WHERE m > -99999999.99",
                "SELECT id FROM {ev} WHERE m <= 9999999.99",
                "SELECT id FROM {ev} WHERE m >= 9999999.99",
                "SELECT id FROM {ev} WHERE m = 1.50",
                "SELECT id FROM {ev} WHERE m < 1234567900",
                "SELECT id FROM {ev} WHERE g < 0.1",
                "SELECT id FROM {ev} WHERE g <= 0.10000000149011612",
                "SELECT id FROM {ev} WHERE g = 0.10000000149011612",
                "SELECT id FROM {ev} WHERE g > 0.1",
                "SELECT id FROM {ev} WHERE g = 0.1",
                "SELECT id FROM {ev} WHERE g >= 3"));
        for (long snap : new long[] {snap1, snap2, snap3}) {
            for (String c : List.of("a = 1", "a < 3", "a2 = 1", "a2 < 3", "s = 'b'", "s < 'b'", "s2 = 'b'", "x = 5", "x IS NULL",
                    "ts < '2024-06-02'", "id > 12", "id IN (1, 13, 25)", "m < 1", "g < 0.1", "g = 0.10000000149011612", "m >= 99.99")) {
                q.add("SELECT id FROM {ev FOR VERSION AS OF " + snap + "} WHERE " + c);
            }
        }
        for (String c : List.of("x = 5", "x <> 7", "x < 6", "x IN (5, 8)", "x BETWEEN 4 AND 6", "x IS NULL", "x > 4", "x = 7")) {
            q.add("SELECT id, x FROM {dv} WHERE " + c);
        }
        q.forEach(this::check);
        strong = true;
        q.forEach(this::check);
        report();
    }

    /** The wrong answers this test found, each alone: they fail without the fixes in SqlAnalysis and IcebergViews. */
    @Test
    void found_wrong_answers() throws Exception {
        setUpTables("w0", "w_id_s", "w_tr_i", "w_tr_l");
        // a column alias list renames the table's columns: i here is the table's id
        check("SELECT * FROM {w0 AS u(i, id)} WHERE i = 3");
        // positional and as-of joins pair rows by their neighbours: pruning either side changes the pairs
        check("SELECT a.id, b.id FROM {w0 a} POSITIONAL JOIN {w_id_s b} WHERE b.s = 'ab'");
        check("SELECT a.id, b.id, b.s FROM {w0 a} ASOF JOIN {w_id_s b} ON a.id >= b.id WHERE b.s = 'ab'");
        // a sample is drawn before the WHERE
        check("SELECT count(*) FROM {w0 TABLESAMPLE 5 ROWS (reservoir, 7)} WHERE i = 3");
        check("SELECT count(*) FROM {w0} WHERE i = 3 USING SAMPLE 5 ROWS (reservoir, 7)");
        // Iceberg's truncate wraps around near the type's minimum: Integer.MIN_VALUE is in partition 2147483647
        check("SELECT id FROM {w_tr_i} WHERE i < 0");
        check("SELECT id FROM {w_tr_i} WHERE i >= -2147483647");
        check("SELECT id FROM {w_tr_l} WHERE l < 0");
        check("SELECT id FROM {w_tr_l} WHERE l > -9223372036854775808");
        // a literal beyond a double's range is the bare token Infinity in DuckDB's parse tree: the query once failed to parse
        List<String> beyond = run("SELECT id FROM w0 WHERE d < 1e400");
        assertEquals(run("SELECT id FROM w0 WHERE d < CAST('Infinity' AS DOUBLE)"), beyond);
        assertEquals(false, beyond.get(0).startsWith("ERROR"), beyond.get(0));
        report();
    }
}
