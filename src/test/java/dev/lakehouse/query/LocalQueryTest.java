package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.iceberg.Compaction;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.output.Progress;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.FailingStdout;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine answers exactly what Iceberg's own reader (IcebergGenerics) returns for the same
 * snapshot: with position and equality deletes, updates of one key over several commits, a delete
 * then re-insert, after compaction, and when time travelling.
 */
class LocalQueryTest {
    @TempDir
    Path dir;
    LakehouseFixture fx;

    @BeforeEach
    void setUp() {
        fx = LakehouseFixture.local(dir);
    }

    static final String ALL = "SELECT id, customer, amount, region, created_at FROM orders";
    /** Reads decimals as printed (1.50 stays 1.50). */
    static final ObjectMapper EXACT_JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    /** The query's rows in TestTables.text's form, sorted, read through the CLI as JSON. */
    List<String> query(String sql, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("query", sql, "-o", "json"));
        args.addAll(List.of(options));
        CliRun.Result r = fx.cli().run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        List<String> rows = new ArrayList<>();
        for (JsonNode row : EXACT_JSON.readTree(r.out())) {
            StringBuilder b = new StringBuilder("(");
            int i = 0;
            for (var it = row.fields(); it.hasNext(); i++) {
                JsonNode v = it.next().getValue();
                b.append(i == 0 ? "" : ", ").append(v.isNull() ? "null" : v.isNumber() ? v.decimalValue().toPlainString() : v.asText());
            }
            rows.add(b.append(')').toString());
        }
        rows.sort(null);
        return rows;
    }

    /** Iceberg's rows (of a freshly loaded table) with timestamps printed as the query prints them (UTC instants). */
    List<String> iceberg(Long snapshot) {
        List<String> rows;
        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders");
            rows = snapshot == null ? TestTables.rows(t) : TestTables.rows(t, snapshot);
        }
        List<String> normalized = new ArrayList<>();
        for (String r : rows) {
            normalized.add(r.replaceAll("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d)Z\\)$", "$1:00Z)"));
        }
        normalized.sort(null);
        return normalized;
    }

    @Test
    void deletes_updates_reinserts_and_compaction_read_like_icebergs_own_reader() throws Exception {
        Table t;
        long afterUpdates;
        try (Warehouse w = fx.warehouse()) {
            t = TestTables.createOrders(w, "orders", PartitionSpec.builderFor(TestTables.ORDERS).identity("region").build(),
                    Map.of("format-version", "2"));
            List<DataFile> files = TestTables.appendFiles(t, 0, 5, 20);
            TestTables.deletePositions(t, files.get(0), 0, 3, 5);           // position deletes
            TestTables.deleteIds(t, List.of(10L, 11L, 12L));               // equality deletes
            // the same key updated in several commits: delete the old row, append the new one
            for (int v = 1; v <= 3; v++) {
                TestTables.deleteIds(t, List.of(20L));
                var row = TestTables.order(20);
                row.setField("customer", "version " + v);
                var append = t.newAppend();
                TestTables.writeData(t, List.of(row)).forEach(append::appendFile);
                append.commit();
            }
            afterUpdates = t.currentSnapshot().snapshotId();
            TestTables.deleteIds(t, List.of(30L));                         // delete, then re-insert
            var again = t.newAppend();
            var reinserted = TestTables.order(30);
            reinserted.setField("customer", "re-inserted"); // so that time travel has something to tell apart
            TestTables.writeData(t, List.of(reinserted)).forEach(again::appendFile);
            again.commit();
            t.refresh();
        }
        assertNotEquals(iceberg(afterUpdates), iceberg(null));
        assertEquals(iceberg(null), query(ALL));
        assertEquals(inRange(iceberg(null), 5, 25), query(ALL + " WHERE id BETWEEN 5 AND 25"), "files with different delete sets");
        assertEquals(iceberg(afterUpdates), query(ALL, "--snapshot", Long.toString(afterUpdates)));
        assertTrue(query(ALL).stream().anyMatch(r -> r.contains("version 3")));
        assertTrue(query(ALL).stream().noneMatch(r -> r.contains("version 1")));

        try (Warehouse w = fx.warehouse()) {
            Table table = w.load("orders");
            new Compaction(table, Progress.none()).run(new Compaction.Options(0, Expressions.alwaysTrue(), 1, false, 1));
            t = w.load("orders");
        }
        assertEquals(iceberg(null), query(ALL), "after compaction");
        assertEquals(iceberg(afterUpdates), query(ALL, "--as-of", java.time.Instant.ofEpochMilli(
                t.snapshot(afterUpdates).timestampMillis()).toString()), "time travel by time");
        String withOffset = java.time.Instant.ofEpochMilli(t.snapshot(afterUpdates).timestampMillis())
                .atOffset(java.time.ZoneOffset.ofHours(2)).toString().replace('T', ' ');
        assertEquals(iceberg(afterUpdates), query(ALL, "--as-of", withOffset), "an offset, and a space for the T");
        assertEquals(iceberg(afterUpdates), query(ALL, "--as-of", withOffset.replace("+02:00", " +02:00")), "a space before the offset");
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertEquals(iceberg(null), query(ALL, "--as-of", today.plusDays(1).toString()), "a date: its start in UTC");
        var before = fx.cli().run("query", ALL, "--as-of", today.minusDays(1).toString());
        assertEquals(1, before.exitCode(), before.toString());
        assertTrue(before.errorLine().startsWith("error: Table lakehouse.orders has no snapshot as of " + today.minusDays(1)
                + "T00:00:00Z"), before.errorLine());
        // Athena's syntax in the query reads the same snapshots, per table
        java.time.Instant committed = java.time.Instant.ofEpochMilli(t.snapshot(afterUpdates).timestampMillis());
        assertEquals(iceberg(afterUpdates), query(ALL + " FOR VERSION AS OF " + afterUpdates));
        assertEquals(iceberg(afterUpdates), query(ALL + " FOR TIMESTAMP AS OF TIMESTAMP '"
                + committed.toString().replace('T', ' ').replace("Z", " UTC") + "' WHERE orders.id >= 0"), "by time, own name as alias");
        try (Warehouse w = fx.warehouse()) {
            w.load("orders").manageSnapshots().createTag("before-backfill", afterUpdates).commit();
        }
        assertEquals(iceberg(afterUpdates), query(ALL + " FOR SYSTEM_VERSION AS OF 'before-backfill'"));
        var both = fx.cli().run("query", "SELECT (SELECT count(*) FROM orders FOR VERSION AS OF " + afterUpdates + " o) AS then,"
                + " (SELECT count(*) FROM orders) AS now", "-o", "csv");
        assertEquals("then,now\n" + iceberg(afterUpdates).size() + "," + iceberg(null).size() + "\n", both.out(), both.toString());
        assertEquals(iceberg(afterUpdates), query(ALL + " FOR VERSION AS OF " + afterUpdates + " WHERE id >= ?", "--param", "0"),
                "with --param");
        assertEquals(java.time.Instant.parse("2024-06-01T02:08:19Z"), TimeTravelClauses.instant("2024-06-01 4:08:19 Europe/Berlin"),
                "Trino's one-digit hour, a zone name");
        var afterAlias = fx.cli().run("query", "SELECT * FROM orders o FOR VERSION AS OF " + afterUpdates);
        assertEquals(2, afterAlias.exitCode(), afterAlias.toString());
        assertTrue(afterAlias.errorLine().contains("goes right after the table name, before its alias"), afterAlias.errorLine());
        var listed = fx.cli().run("query", "SELECT table_name FROM information_schema.tables, (SELECT count(*) FROM orders FOR VERSION AS OF "
                + afterUpdates + ") o WHERE table_name = 'orders'", "-o", "csv");
        assertEquals("table_name\norders\n", listed.out(), "a table read at another snapshot is still listed: " + listed);
        var notLiteral = fx.cli().run("query", ALL + " FOR TIMESTAMP AS OF now()");
        assertEquals(2, notLiteral.exitCode(), notLiteral.toString());
        assertTrue(notLiteral.errorLine().contains("reads FOR TIMESTAMP AS OF a literal time"), notLiteral.errorLine());
        var noZone = fx.cli().run("query", ALL, "--as-of", "2024-06-01 12:00");
        assertEquals(2, noZone.exitCode(), noZone.toString());
        assertEquals("error: --as-of: '2024-06-01 12:00' has no time zone: add Z for UTC or an offset, e.g. 2024-06-01T12:00Z",
                noZone.errorLine());
    }

    @Test
    void renamed_and_added_columns_read_like_icebergs_own_reader() throws Exception {
        long before;
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
            TestTables.appendFiles(t, 0, 2, 10);
            TestTables.deleteIds(t, List.of(3L, 14L)); // equality delete files that name the key 'id'
            before = t.currentSnapshot().snapshotId();
            t.updateSchema().renameColumn("id", "order_id").renameColumn("customer", "client")
                    .addColumn("note", Types.StringType.get()).commit();
            t.refresh();
            GenericRecord row = GenericRecord.create(t.schema());
            row.setField("order_id", 100L);
            row.setField("client", "written after the rename");
            row.setField("amount", new java.math.BigDecimal("1.50"));
            row.setField("region", "eu");
            row.setField("created_at", java.time.OffsetDateTime.parse("2024-06-01T00:00:00Z"));
            row.setField("note", "a new column");
            var append = t.newAppend();
            TestTables.writeData(t, List.of(row)).forEach(append::appendFile);
            append.commit();
        }
        String all = "SELECT order_id, client, amount, region, created_at, note FROM orders";
        List<String> rows = query(all);
        // the timestamp is not the last column here: print Iceberg's whole minutes as the query does
        assertEquals(iceberg(null).stream().map(r -> r.replaceAll("(T\\d\\d:\\d\\d)Z", "$1:00Z")).sorted().toList(), rows);
        assertEquals(19, rows.size(), "20 rows, 2 deleted by key before the rename, 1 added after");
        assertTrue(rows.contains("(5, customer-5, 6.85, ap, 2024-01-01T00:05:00Z, null)"), "old files under the new names: " + rows);
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("(100, written after the rename") && r.endsWith("a new column)")));
        assertEquals(List.of("(2)"), query("SELECT count(*) AS n FROM orders WHERE order_id IN (3, 14, 2, 100)"),
                "the deletes keyed on the old name still apply");
        assertEquals(18, query("SELECT id, customer FROM orders", "--snapshot", Long.toString(before)).size(),
                "time travel reads the snapshot's own column names");
    }

    /**
     * Format v3 deletion vectors: one Puffin file holds the vectors of several data files (Iceberg's
     * DV writer puts a commit's vectors together). Only its first vector was applied: 19 rows, not 18.
     */
    @Test
    void deletion_vectors_sharing_one_puffin_file_all_apply() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of("format-version", "3"));
            List<DataFile> files = TestTables.appendFiles(t, 0, 2, 10); // ids 0-9 and 10-19
            var writer = new org.apache.iceberg.deletes.BaseDVFileWriter(org.apache.iceberg.io.OutputFileFactory
                    .builderFor(t, 1, 1).format(org.apache.iceberg.FileFormat.PUFFIN).build(), path -> null);
            try (writer) {
                writer.delete(files.get(0).location(), 0, t.spec(), null); // id 0
                writer.delete(files.get(1).location(), 0, t.spec(), null); // id 10
                writer.delete(files.get(1).location(), 9, t.spec(), null); // id 19
            }
            assertEquals(1, writer.result().deleteFiles().stream().map(DeleteFile::location).distinct().count(), "one Puffin file");
            var delta = t.newRowDelta();
            writer.result().deleteFiles().forEach(delta::addDeletes);
            delta.commit();
        }
        List<String> rows = query(ALL);
        assertEquals(iceberg(null), rows);
        assertEquals(17, rows.size(), "20 rows less the 3 the vectors name");
        var explain = fx.cli().run("query", ALL, "--explain", "-o", "json");
        assertEquals(2, new ObjectMapper().readTree(explain.out()).get(0).get("deletion_vectors").asInt(), explain.out());
    }

    /**
     * Iceberg's planning binds a condition to the table's current schema: time travel past renames
     * pruned on today's column of the same name (0 rows instead of 19), and a column dropped since
     * failed with "unexpected ValidationException". The equality deletes keep their key conditions
     * on the snapshot's own names (today's "id" is the snapshot's amount).
     */
    @Test
    void time_travel_past_renames_and_drops_prunes_on_the_snapshots_own_columns() throws Exception {
        long first;
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
            TestTables.appendFiles(t, 0, 2, 30); // ids 0-59
            TestTables.deleteIds(t, List.of(3L, 5L));
            first = t.currentSnapshot().snapshotId();
            t.updateSchema().renameColumn("region", "area").commit();
            t.updateSchema().renameColumn("customer", "region").commit(); // today's region is the old customer
            t.updateSchema().renameColumn("id", "order_id").commit();
            t.updateSchema().renameColumn("amount", "id").commit();       // today's id is the old amount
            t.updateSchema().deleteColumn("created_at").commit();
        }
        String snapshot = Long.toString(first);
        assertEquals(List.of("(19)"), query("SELECT count(*) AS n FROM orders WHERE region = 'eu'", "--snapshot", snapshot),
                "every third id of 0-59 is eu, less the deleted 3");
        assertEquals(List.of("(55)"), query("SELECT count(*) AS n FROM orders WHERE amount >= 4", "--snapshot", snapshot),
                "ids 3-59 (id * 1.37 >= 4), less the deleted 3 and 5");
        assertEquals(List.of("(30)"), query("SELECT count(*) AS n FROM orders WHERE created_at >= '2024-01-01T00:30:00Z'",
                "--snapshot", snapshot), "a column dropped since still filters the snapshot");
        var explain = fx.cli().run("query", "SELECT * FROM orders WHERE id >= 40", "--snapshot", snapshot, "--explain", "-o", "json");
        JsonNode plan = new ObjectMapper().readTree(explain.out()).get(0);
        assertEquals(1, plan.get("data_files_planned").asInt(), "the snapshot's id prunes the file of ids 0-29: " + explain.out());
    }

    @Test
    void conditions_on_partition_columns_prune_files_and_explain_shows_it() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.builderFor(TestTables.ORDERS).identity("region").build(), Map.of());
            TestTables.appendFiles(t, 0, 4, 30);
        }
        var explain = fx.cli().run("query", "SELECT count(*) FROM orders o WHERE o.region = 'eu' AND id > 3", "--explain", "-o", "json");
        assertEquals(0, explain.exitCode(), explain.toString());
        JsonNode plan = new ObjectMapper().readTree(explain.out()).get(0);
        assertEquals("lakehouse.orders", plan.get("table").asText());
        assertEquals(12, plan.get("data_files_in_snapshot").asInt());
        assertEquals(4, plan.get("data_files_planned").asInt(), "only the eu files: " + explain.out());
        assertEquals(8, plan.get("data_files_pruned").asInt());
        assertTrue(plan.get("pushed_filter").asText().contains("region"), explain.out());

        var count = fx.cli().run("query", "SELECT count(*) AS n FROM orders WHERE region = 'eu'", "-o", "csv");
        assertEquals("n\n40\n", count.out());

        // SQL names are case-insensitive: an upper-case column prunes the same files, planned under the schema's name
        var upper = fx.cli().run("query", "SELECT count(*) AS n FROM orders WHERE REGION = 'eu' AND \"Id\" > 3", "--explain", "-o", "json");
        assertEquals(0, upper.exitCode(), upper.toString());
        JsonNode upperPlan = new ObjectMapper().readTree(upper.out()).get(0);
        assertEquals(4, upperPlan.get("data_files_planned").asInt(), upper.out());
        assertTrue(upperPlan.get("pushed_filter").asText().contains("ref(name=\"region\")"), upper.out());
        assertTrue(upperPlan.get("pushed_filter").asText().contains("ref(name=\"id\")"), upper.out());
        assertEquals("n\n40\n", fx.cli().run("query", "SELECT count(*) AS n FROM orders WHERE REGION = 'eu'", "-o", "csv").out());
    }

    /**
     * A time without an offset compared with a timestamp-with-time-zone column is UTC, the local
     * engine's session zone (as an Athena session's): the condition prunes by it. It was left to
     * DuckDB, every file read, when the session zone was the machine's.
     */
    @Test
    void times_without_an_offset_prune_timestamp_with_time_zone_columns_as_utc() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            // created_at is 2024-01-01 00:00Z plus the id in minutes: 00:00-00:29, 00:30-00:59, 01:00-01:29, 01:30-01:59
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 4, 30);
        }
        for (String time : List.of("'2024-01-01 01:00'", "TIMESTAMPTZ '2024-01-01 01:00:00'", "'2024-01-01T01:00:00'")) {
            String sql = "SELECT count(*) AS n FROM orders WHERE created_at >= " + time;
            var explain = fx.cli().run("query", sql, "--explain", "-o", "json");
            assertEquals(0, explain.exitCode(), explain.toString());
            JsonNode plan = EXACT_JSON.readTree(explain.out()).get(0);
            assertEquals(2, plan.get("data_files_planned").asInt(), time + ": " + explain.out());
            assertEquals("n\n60\n", fx.cli().run("query", sql, "-o", "csv").out(), time);
        }
        var day = fx.cli().run("query", "SELECT count(*) AS n FROM orders WHERE created_at < '2024-01-01'", "--explain", "-o", "json");
        assertEquals(0, EXACT_JSON.readTree(day.out()).get(0).get("data_files_planned").asInt(), day.out());
    }

    static List<String> inRange(List<String> rows, long from, long to) {
        return rows.stream().filter(r -> {
            long id = Long.parseLong(r.substring(1, r.indexOf(',')));
            return id >= from && id <= to;
        }).toList();
    }

    @Test
    void a_table_read_twice_is_not_pruned_by_one_reads_conditions() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.builderFor(TestTables.ORDERS).identity("region").build(), Map.of());
            TestTables.appendFiles(t, 0, 4, 30);
        }
        var r = fx.cli().run("query", "SELECT (SELECT count(*) FROM lakehouse.orders) AS everywhere, count(*) AS eu"
                + " FROM orders WHERE region = 'eu'", "-o", "csv");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("everywhere,eu\n120,40\n", r.out(), "the subquery reads every file, not the pruned eu ones");
    }

    @Test
    void equality_deletes_on_every_file_and_a_key_condition_read_like_icebergs_own_reader() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
            TestTables.appendFiles(t, 0, 3, 20);                           // ids 0..59 in three files
            TestTables.deleteIds(t, List.of(1L, 25L, 26L, 40L, 59L, 1000L)); // one delete set for every file
            TestTables.deleteIds(t, List.of(2L, 41L));
        }
        assertEquals(iceberg(null), query(ALL));
        assertEquals(inRange(iceberg(null), 20, 45), query(ALL + " WHERE id BETWEEN 20 AND 45"));
        assertEquals(List.of("(21)"), query("SELECT count(*) FROM orders WHERE id BETWEEN 20 AND 45 AND id <> 30"
                + " AND customer IS NOT NULL"));
    }

    @Test
    void only_named_tables_are_planned_and_an_unknown_one_is_one_clear_line() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 1, 5);
            TestTables.createOrders(w, "customers", PartitionSpec.unpartitioned(), Map.of());
        }
        var r = fx.cli().run("query", "SELECT count(*) FROM orderz");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().contains("Table lakehouse.orderz does not exist"), r.errorLine());
        assertTrue(r.errorLine().contains("customers, orders"), r.errorLine());

        var join = fx.cli().run("query", "WITH o AS (SELECT * FROM lakehouse.orders) SELECT count(*) AS n FROM o"
                + " LEFT JOIN customers c ON c.id = o.id", "-o", "csv");
        assertEquals(0, join.exitCode(), join.toString());
        assertEquals("n\n5\n", join.out(), "an empty table reads as no rows");

        var syntax = fx.cli().run("query", "SELEC 1");
        assertEquals(2, syntax.exitCode(), syntax.toString());
        assertTrue(syntax.errorLine().startsWith("error: Cannot parse the query"), syntax.errorLine());
    }

    @Test
    void sql_from_a_file_or_stdin_max_rows_and_every_format() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 1, 10);
        }
        Files.writeString(dir.resolve("q.sql"), "SELECT id FROM orders ORDER BY id;\n");
        var fromFile = fx.cli().run("query", "-f", dir.resolve("q.sql").toString(), "--max-rows", "3", "-o", "csv");
        assertEquals("id\n0\n1\n2\n", fromFile.out());
        assertTrue(fromFile.err().contains("(stopped at --max-rows 3; the query has more rows)"), fromFile.err());
        var all = fx.cli().run("query", "SELECT id FROM orders", "--max-rows", "10", "-o", "csv");
        assertEquals(11, all.out().lines().count(), all.toString());
        assertFalse(all.err().contains("stopped at"), "exactly 10 rows: nothing was left out: " + all.err());
        var zero = fx.cli().run("query", "SELECT 1", "--timeout", "0s");
        assertEquals(2, zero.exitCode(), zero.toString());
        assertEquals("error: --timeout: '0s' must be more than 0", zero.errorLine());
        var missing = fx.cli().run("query", "-f", dir.resolve("nope.sql").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertEquals("error: -f: no such file: " + dir.resolve("nope.sql"), missing.errorLine());
        var none = fx.cli().run("query", "SELECT id FROM orders", "--max-rows", "0", "-o", "csv");
        assertEquals("id\n", none.out(), "at most 0 rows: the columns only (it printed every row)");
        var comments = fx.cli().stdin("-- nothing here\n/* nor here */").run("query");
        assertEquals(2, comments.exitCode(), comments.toString());
        assertEquals("error: The query is only comments", comments.errorLine());
        Files.write(dir.resolve("latin1.sql"), "SELECT 'caf\u00e9'".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        var latin1 = fx.cli().run("query", "-f", dir.resolve("latin1.sql").toString());
        assertEquals(2, latin1.exitCode(), latin1.toString());
        assertEquals("error: -f: " + dir.resolve("latin1.sql") + " is not UTF-8 text", latin1.errorLine());
        var fromStdin = fx.cli().stdin("SELECT count(*) AS n FROM orders").run("query");
        assertEquals(List.of("N", "10"), fromStdin.out().lines().map(String::strip).toList());
        var table = fx.cli().run("query", "SELECT id, customer FROM orders WHERE id = 11 OR id = 0 ORDER BY id");
        assertEquals("ID  CUSTOMER", table.out().lines().findFirst().orElseThrow());
    }

    /**
     * Lists and structs keep their shape in JSON, their values typed as at the top level; a list of
     * timestamps failed ("Can't convert value to LocalDateTime") and a whole minute lost its seconds.
     */
    @Test
    void nested_values_and_whole_minutes_print_like_top_level_ones() throws Exception {
        var r = fx.cli().run("query", "SELECT [TIMESTAMP '2024-01-01 01:02:00', NULL] AS ts, {'a': [1.50::DECIMAL(4,2)],"
                + " 'at': TIMESTAMPTZ '2024-01-01 01:02:03+00'} AS st, MAP {'k': [DATE '2024-01-02']} AS m,"
                + " TIMESTAMP '2024-01-01 01:02:00' AS whole, TIME '01:02:00' AS t, TIMETZ '01:02:00+02' AS tz", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode row = EXACT_JSON.readTree(r.out()).get(0);
        assertEquals("[\"2024-01-01T01:02:00\",null]", row.get("ts").toString());
        assertEquals("{\"a\":[1.50],\"at\":\"2024-01-01T01:02:03Z\"}", row.get("st").toString());
        assertEquals("{\"k\":[\"2024-01-02\"]}", row.get("m").toString());
        assertEquals("2024-01-01T01:02:00", row.get("whole").asText());
        assertEquals("01:02:00", row.get("t").asText());
        assertEquals("01:02:00+02:00", row.get("tz").asText());
    }

    /** What the local engine does not run is a usage error that says so, in the user's terms. */
    @Test
    void statements_that_are_not_one_query_are_refused_clearly() {
        var create = fx.cli().stdin("-- make one\nCREATE TABLE t AS SELECT 1").run("query");
        assertEquals(2, create.exitCode(), create.toString());
        assertEquals("error: The local engine runs queries only (SELECT, WITH, VALUES, SHOW, DESCRIBE), not CREATE",
                create.errorLine());
        var explain = fx.cli().run("query", "EXPLAIN SELECT 1");
        assertEquals(2, explain.exitCode(), explain.toString());
        assertTrue(explain.errorLine().endsWith("not EXPLAIN; --explain shows what Iceberg plans for each table"),
                explain.errorLine());
        // DuckDB would run both and print the second; Athena refuses the pair
        var two = fx.cli().run("query", "SELECT 1 AS a; SELECT 2 AS b", "-o", "csv");
        assertEquals(2, two.exitCode(), two.toString());
        assertEquals("error: The query holds 2 statements; run one at a time", two.errorLine());
        assertEquals("", two.out());
        var one = fx.cli().run("query", "SELECT 1 AS a;", "-o", "csv");
        assertEquals("a\n1\n", one.out(), one.toString());
    }

    /**
     * A listing sees every table of the catalog, as Athena's SHOW TABLES and information_schema do
     * (it saw none: only named tables were made); a table read by a name in a string is refused, not
     * answered as empty.
     */
    @Test
    void show_tables_and_information_schema_list_every_table() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 1, 3);
            TestTables.createOrders(w, "archive.orders_2019", PartitionSpec.unpartitioned(), Map.of());
        }
        var show = fx.cli().run("query", "SHOW TABLES", "-o", "csv");
        assertEquals("name\norders\n", show.out(), show.toString());
        var all = fx.cli().run("query", "SELECT table_schema, table_name FROM information_schema.columns"
                + " WHERE column_name = 'amount' ORDER BY ALL", "-o", "csv");
        assertEquals("table_schema,table_name\narchive,orders_2019\nlakehouse,orders\n", all.out(), all.toString());
        var describe = fx.cli().run("query", "SELECT column_name, column_type FROM (DESCRIBE archive.orders_2019)", "-o", "csv");
        assertEquals("column_name,column_type\nid,BIGINT\ncustomer,VARCHAR\namount,\"DECIMAL(12,2)\"\nregion,VARCHAR\n"
                + "created_at,TIMESTAMP WITH TIME ZONE\n", describe.out(), describe.toString());
        // a named table is still planned and read alongside the listing
        var both = fx.cli().run("query", "SELECT (SELECT count(*) FROM orders) AS n,"
                + " (SELECT count(*) FROM information_schema.tables WHERE table_schema <> 'main') AS tables", "-o", "csv");
        assertEquals("n,tables\n3,2\n", both.out(), both.toString());
        var byString = fx.cli().run("query", "SELECT count(*) FROM query_table('lakehouse.orders')");
        assertEquals(1, byString.exitCode(), byString.toString());
        assertTrue(byString.errorLine().contains("Table lakehouse.orders is read only where the query names it, as in FROM"),
                byString.errorLine());
        assertEquals("", byString.out());
    }

    /**
     * --param works on both engines, as Athena's execution parameters do: each ? takes its value's
     * SQL text, in order; a ? in a string, quoted name or comment is not a placeholder; the filled-in
     * values prune files like literals.
     */
    @Test
    void params_fill_placeholders_as_athena_does() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 4, 5);
        }
        var inline = fx.cli().run("query", "SELECT id, region FROM orders WHERE id BETWEEN 3 AND 12 AND region <> 'x' ORDER BY id",
                "-o", "csv");
        var filled = fx.cli().run("query", "SELECT id, region FROM orders WHERE id BETWEEN ? AND ? AND region <> ? ORDER BY id",
                "--param", "3", "--param", "10 + 2", "--param", "'x'", "-o", "csv");
        assertEquals(0, filled.exitCode(), filled.toString());
        assertEquals(inline.out(), filled.out());
        assertEquals(11, filled.out().lines().count(), filled.out());
        var text = fx.cli().run("query", "SELECT ? AS a, '?' AS b, E'\\'?' AS c, $$?$$ AS d, 1 AS \"?\" /* ? */ -- ?",
                "--param", "'it''s'", "-o", "csv");
        assertEquals("a,b,c,d,?\nit's,?,'?,?,1\n", text.out(), text.toString());
        var explain = fx.cli().run("query", "SELECT * FROM orders WHERE id = ?", "--param", "7", "--explain", "-o", "json");
        JsonNode plan = EXACT_JSON.readTree(explain.out()).get(0);
        assertEquals(1, plan.get("data_files_planned").asInt(), explain.toString());
        assertEquals(4, plan.get("data_files_in_snapshot").asInt(), explain.toString());

        var missing = fx.cli().run("query", "SELECT * FROM orders WHERE id = ?");
        assertEquals(2, missing.exitCode(), missing.toString());
        assertEquals("error: The query has 1 parameter (?): give a value for each with --param, in order", missing.errorLine());
        var tooMany = fx.cli().run("query", "SELECT ?", "--param", "1", "--param", "2");
        assertEquals(2, tooMany.exitCode(), tooMany.toString());
        assertEquals("error: The query has 1 ? placeholder and 2 --param values: give one --param per ?, in order", tooMany.errorLine());
        var numbered = fx.cli().run("query", "SELECT $1", "--param", "1");
        assertEquals(2, numbered.exitCode(), numbered.toString());
        assertEquals("error: The query has DuckDB parameters ($1, $name): the query command takes ? placeholders, filled by"
                + " --param as Athena does", numbered.errorLine());
        var numberedWithout = fx.cli().run("query", "SELECT $1");
        assertEquals(2, numberedWithout.exitCode(), numberedWithout.toString());
        assertEquals(numbered.errorLine(), numberedWithout.errorLine());
        var noWait = fx.cli().run("query", "SELECT 1", "--no-wait");
        assertEquals(2, noWait.exitCode(), noWait.toString());
        assertEquals("error: --no-wait is for --engine athena: the local engine answers in this process", noWait.errorLine());
        // a value is SQL text, as on Athena; it cannot turn one query into several statements
        var smuggled = fx.cli().run("query", "SELECT ?", "--param", "1); DROP TABLE orders; SELECT (1");
        assertEquals(2, smuggled.exitCode(), smuggled.toString());
        assertEquals("error: The text holds a statement that is not a query; the local engine runs one query"
                + " (SELECT, WITH, VALUES, SHOW, DESCRIBE) per command", smuggled.errorLine());
    }

    /**
     * Pruning never changes an answer: each condition gives the count DuckDB gives with pruning off
     * ("OR false" keeps a WHERE from being pushed). A double against a decimal or float, a string
     * DuckDB casts, a CAST that changes its literal: Iceberg compared those differently and pruned
     * files with matching rows, or crashed ("unexpected DateTimeParseException"). Dates and times
     * written the usual ways still prune.
     */
    @Test
    void pruning_never_changes_an_answer() throws Exception {
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "taken_at", Types.TimestampType.withoutZone()),
                Types.NestedField.optional(3, "price", Types.DecimalType.of(6, 3)),
                Types.NestedField.optional(4, "ratio", Types.FloatType.get()),
                Types.NestedField.optional(5, "taken_utc", Types.TimestampType.withZone()),
                Types.NestedField.optional(6, "label", Types.StringType.get()));
        try (Warehouse w = fx.warehouse()) {
            w.ensureNamespace(org.apache.iceberg.catalog.Namespace.of("lakehouse"));
            Table t = w.catalog().createTable(w.identifier("readings"), schema, PartitionSpec.unpartitioned());
            var append = t.newAppend();
            for (int day = 1; day <= 3; day++) { // one file a day
                List<org.apache.iceberg.data.Record> rows = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    GenericRecord r = GenericRecord.create(schema);
                    r.setField("id", day * 10L + i);
                    r.setField("taken_at", java.time.LocalDateTime.of(2024, 6, day, 6 * i, 0));
                    r.setField("price", new java.math.BigDecimal(day + "." + i + "25"));
                    r.setField("ratio", day == 2 && i == 0 ? 0.1f : 0.5f * day);
                    r.setField("taken_utc", java.time.OffsetDateTime.of(2024, 6, day, 6 * i, 0, 0, 0, java.time.ZoneOffset.UTC));
                    r.setField("label", "2024-6-" + day); // DuckDB casts it to compare with a DATE
                    rows.add(r);
                }
                TestTables.writeData(t, rows).forEach(append::appendFile);
            }
            append.commit();
            // NaN: DuckDB orders it above every number; Iceberg's bounds leave it out (upper bound 1.0 here)
            Schema scores = new Schema(Types.NestedField.required(1, "score", Types.DoubleType.get()));
            Table s = w.catalog().createTable(w.identifier("scores"), scores, PartitionSpec.unpartitioned());
            var both = s.newAppend();
            for (double[] file : new double[][] {{1.0, Double.NaN}, {10.0}, {-0.0}}) {
                List<org.apache.iceberg.data.Record> rows = new ArrayList<>();
                for (double v : file) {
                    GenericRecord r = GenericRecord.create(scores);
                    r.setField("score", v);
                    rows.add(r);
                }
                TestTables.writeData(s, rows).forEach(both::appendFile);
            }
            both.commit();
        }
        for (String c : List.of("score > 5", "score >= 5.0", "score <> 1", "score < 5", "score = 0", "score IN (0, 10)",
                "score <= 0.0", "score BETWEEN 0 AND 1")) {
            var pruned = fx.cli().run("query", "SELECT count(*) AS n FROM scores WHERE " + c, "-o", "csv");
            var whole = fx.cli().run("query", "SELECT count(*) AS n FROM scores WHERE " + c + " OR false", "-o", "csv");
            assertEquals(whole.out(), pruned.out(), c + ": " + pruned);
        }
        List<String> conditions = List.of("taken_at >= '2024-06-02'", "taken_at >= DATE '2024-06-02'", "taken_at < TIMESTAMP '2024-06-02 06:00'",
                "taken_at BETWEEN '2024-06-02 00:00:00' AND '2024-06-02T18:00'", "taken_at >= CAST('2024-06-02T23:00:00' AS DATE)",
                "taken_at = '2024-06-02 12:00:00.000000'", "price > 2.3245e0", "price >= 2.325", "price = 2", "price > ' 2.3'",
                "ratio > 0.1e0", "ratio = 0.1", "taken_utc >= TIMESTAMPTZ '2024-06-02 00:00:00+02'", "taken_utc >= '2024-06-02'",
                "taken_utc < '2024-06-02T06:00:00Z'", "id IN (11, 21, 99)", "label = DATE '2024-06-02'",
                "label = TIMESTAMP '2024-06-02 00:00:00'", "label = '2024-6-2'");
        for (String c : conditions) {
            var pruned = fx.cli().run("query", "SELECT count(*) AS n FROM readings WHERE " + c, "-o", "csv");
            var whole = fx.cli().run("query", "SELECT count(*) AS n FROM readings WHERE " + c + " OR false", "-o", "csv");
            assertEquals(0, pruned.exitCode(), c + ": " + pruned);
            assertEquals(whole.out(), pruned.out(), c);
        }
        for (String c : List.of("taken_at >= '2024-06-02 12:00'", "taken_at < DATE '2024-06-02'", "taken_utc >= '2024-06-03T00:00:00+00:00'",
                "price BETWEEN 1 AND 1.5")) {
            var explain = fx.cli().run("query", "SELECT * FROM readings WHERE " + c, "--explain", "-o", "json");
            assertTrue(EXACT_JSON.readTree(explain.out()).get(0).get("data_files_pruned").asInt() > 0, c + ": " + explain);
        }
    }

    /** Table names are case-insensitive in SQL, as in DuckDB and Athena; a CTE hides a table only in its scope. */
    @Test
    void table_names_are_case_insensitive_and_ctes_are_scoped() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 3, 4);
        }
        var upper = fx.cli().run("query", "SELECT count(*) AS n FROM Lakehouse.ORDERS", "-o", "csv");
        assertEquals("n\n12\n", upper.out(), upper.toString());
        // a CTE named orders inside one subquery; the other reads (pruned by the WHERE) are the table
        var scoped = fx.cli().run("query", "SELECT (SELECT count(*) FROM orders) AS all_rows,"
                + " (WITH orders AS (SELECT 1) SELECT count(*) FROM orders) AS one, count(*) AS low"
                + " FROM lakehouse.orders WHERE id < 4", "-o", "csv");
        assertEquals("all_rows,one,low\n12,1,4\n", scoped.out(), scoped.toString());
        var shadowing = fx.cli().run("query", "WITH orders AS (SELECT * FROM orders WHERE id >= 10) SELECT count(*) AS n FROM orders",
                "-o", "csv");
        assertEquals("n\n2\n", shadowing.out(), shadowing.toString());
    }

    @Test
    void result_columns_are_named_as_athena_names_them() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 1, 3);
        }
        // Athena (Trino): lower case; an expression without an alias is _colN, N its position from 0
        var named = fx.cli().run("query", "SELECT region, count(*), sum(amount) AS Total, o.ID, 1 + 1 FROM orders o"
                + " WHERE id = 0 GROUP BY region, o.id", "-o", "csv");
        assertEquals(0, named.exitCode(), named.toString());
        assertEquals("region,_col1,total,id,_col4", named.out().lines().findFirst().orElseThrow());
        var star = fx.cli().run("query", "SELECT *, id * 2 FROM orders WHERE id = 0", "-o", "csv");
        assertEquals(TestTables.ORDERS.columns().stream().map(c -> c.name()).collect(java.util.stream.Collectors.joining(","))
                + ",_col" + TestTables.ORDERS.columns().size(), star.out().lines().findFirst().orElseThrow());
        var union = fx.cli().run("query", "SELECT count(*) FROM orders UNION ALL SELECT 7 AS seven", "-o", "csv");
        assertEquals("_col0", union.out().lines().findFirst().orElseThrow(), "named by the first query, as in Athena");
        // however a column is qualified, Athena names it after the column itself
        var qualified = fx.cli().run("query", "SELECT lakehouse.orders.region, orders.id FROM lakehouse.orders WHERE id = 0",
                "-o", "csv");
        assertEquals(0, qualified.exitCode(), qualified.toString());
        assertEquals("region,id", qualified.out().lines().findFirst().orElseThrow());
        var json = fx.cli().run("query", "SELECT max(id) FROM orders", "-o", "json");
        assertTrue(json.out().contains("\"_col0\" : 2"), json.out());
        // a VALUES list's columns: DuckDB says col0, Athena _col0; named ones keep their names
        assertEquals("_col0,_col1\n1,2\n", fx.cli().run("query", "VALUES (1, 2)", "-o", "csv").out());
        assertEquals("a,b\n1,2\n", fx.cli().run("query", "SELECT * FROM (VALUES (1, 2)) t(a, b)", "-o", "csv").out());
    }

    /**
     * Rows stream, and a reader that stops reading stops the query: `lakehouse query ... | head`
     * ends at once, quietly, where the whole result was made first, then written to nobody. 10^10
     * rows would take hours either way, so the time limit only keeps a failure from hanging the build.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_reader_that_goes_away_ends_the_query_quietly() {
        FailingStdout stdout = new FailingStdout(64 * 1024, FailingStdout.BROKEN_PIPE);
        var r = fx.cli().run(stdout, "query", "SELECT * FROM range(10000000000) t(x)", "-o", "csv");
        assertEquals("", r.err(), "no error: the reader has what it wanted");
        assertEquals(0, r.exitCode());
        assertTrue(stdout.written().startsWith("x\n0\n1\n2\n"), stdout.written().substring(0, 20));
    }

    /** Any other write error (a full disk) is one error line and exit 1, during the rows or after them. */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stdout_that_cannot_be_written_fails_the_command() {
        for (String sql : List.of("SELECT * FROM range(10000000000) t(x)", "SELECT 1 AS x")) {
            var r = fx.cli().run(new FailingStdout(0, FailingStdout.DISK_FULL), "query", sql);
            assertEquals("error: cannot write to stdout: No space left on device\n", r.err(), sql);
            assertEquals(1, r.exitCode(), sql);
        }
    }

    /** --timeout stops a result that is still streaming out, not only one still being computed. */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void the_timeout_stops_a_streaming_result() {
        var r = fx.cli().run(OutputStream.nullOutputStream(), "query", "SELECT * FROM range(10000000000) t(x)",
                "--timeout", "1s", "-o", "csv");
        assertEquals(4, r.exitCode(), r.toString());
        assertEquals("error: The query ran longer than --timeout 1s and was stopped\n", r.err());
    }
}
