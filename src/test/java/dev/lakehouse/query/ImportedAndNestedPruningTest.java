package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.PlainParquet;
import dev.lakehouse.testing.TestTables;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong answers found on imported tables (files other writers wrote, read through a name mapping)
 * and on equality deletes keyed on a struct's field. Each query's answer is compared with the same
 * query over a subquery nothing is pushed into (files one row each, so a wrongly pruned file loses
 * its row) and, where the reading itself is in question, with Iceberg's own reader.
 */
class ImportedAndNestedPruningTest {
    @TempDir
    Path dir;
    LakehouseFixture fx;

    @BeforeEach
    void setUp() {
        fx = LakehouseFixture.local(dir);
    }

    List<String> run(String sql) {
        CliRun.Result r = fx.cli().run("query", sql, "-o", "csv");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = new ArrayList<>(r.out().lines().toList());
        String header = lines.remove(0);
        lines.sort(null);
        lines.add(0, header);
        return lines;
    }

    /** The query on the table equals it over {@code (SELECT * FROM t LIMIT ...) AS t}, where nothing is pushed. */
    void samePruned(String table, String where, int expectedRows) {
        List<String> got = run("SELECT * FROM " + table + " WHERE " + where);
        List<String> want = run("SELECT * FROM (SELECT * FROM " + table + " LIMIT 1000000000) AS " + table + " WHERE " + where);
        assertEquals(want, got, where);
        assertEquals(expectedRows, got.size() - 1, where + ": " + got);
    }

    static void duck(String... sqls) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }

    String file(String relative) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        return f.toString();
    }

    void cli(String... args) {
        CliRun.Result r = fx.cli().run(args);
        assertEquals(0, r.exitCode(), r.toString());
    }

    List<Record> iceberg(String name) {
        try (Warehouse w = fx.warehouse()) {
            return TestTables.records(w.load(name));
        }
    }

    /**
     * Iceberg reads TIMESTAMP(MILLIS) and TIMESTAMP(NANOS) columns as its microsecond timestamp, and
     * the import kept their footers' raw numbers as the bounds (a millisecond file's in January 1970,
     * a nanosecond file's 1000x too late): files with matching rows were pruned, and a day(ts)
     * partition made from those bounds was January 1970's.
     */
    @Test
    void imported_millisecond_and_nanosecond_timestamps_prune_by_their_values() throws Exception {
        duck("COPY (SELECT 1::BIGINT id, TIMESTAMP_MS '2024-06-01 10:00:00.123' ts) TO '" + file("ms/a.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 2::BIGINT id, TIMESTAMP_MS '2024-06-02 10:00:00' ts) TO '" + file("ms/b.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 3::BIGINT id, TIMESTAMP '2024-06-03 10:00:00' ts) TO '" + file("ms/c.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 1::BIGINT id, TIMESTAMP_NS '2024-06-01 10:00:00.123456789' ts) TO '" + file("ns/a.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 2::BIGINT id, TIMESTAMP_NS '2024-06-02 10:00:00.5' ts) TO '" + file("ns/b.parquet") + "' (FORMAT parquet)");
        cli("iceberg", "snapshot", dir.resolve("ms").toString(), "ms");
        cli("iceberg", "snapshot", dir.resolve("ms").toString(), "ms_day", "--partition-by", "day(ts)");
        cli("iceberg", "snapshot", dir.resolve("ns").toString(), "ns");
        for (String table : List.of("ms", "ms_day")) {
            samePruned(table, "ts >= '2024-06-01'", 3);
            samePruned(table, "ts = '2024-06-02 10:00:00'", 1);
            samePruned(table, "ts > '2024-06-01 10:00:00.1'", 3);
            samePruned(table, "ts BETWEEN '2024-06-01 10:00:00.123' AND '2024-06-01 10:00:00.123'", 1);
            samePruned(table, "ts < '2024-06-02'", 1);
        }
        samePruned("ns", "ts = '2024-06-02 10:00:00.5'", 1);
        samePruned("ns", "ts <= '2024-06-01 10:00:00.123456'", 0);
        samePruned("ns", "ts <= '2024-06-01 10:00:00.123457'", 1);
        samePruned("ns", "ts < '2024-06-03'", 2);
    }

    /**
     * A TIME(MILLIS) column (an INT32 of milliseconds, as Spark and older writers store times):
     * Iceberg's footer statistics code cast its INT32 bounds to a long and the import failed with a
     * ClassCastException. Its bounds are now those milliseconds in microseconds, Iceberg's time.
     */
    @Test
    void imported_millisecond_times() throws Exception {
        String schema = "message m { required int64 id; optional int32 tm (TIME(MILLIS,false)); }";
        PlainParquet.write(dir.resolve("tm/a.parquet"), schema, List.of(Map.of("id", 1L, "tm", 3_600_123)));
        PlainParquet.write(dir.resolve("tm/b.parquet"), schema, List.of(Map.of("id", 2L, "tm", 7_200_000)));
        cli("iceberg", "snapshot", dir.resolve("tm").toString(), "tm");
        assertEquals(List.of("id,tm", "1,01:00:00.123", "2,02:00:00"), run("SELECT id, tm FROM tm"));
        assertEquals(List.of("01:00:00.123", "02:00"), iceberg("tm").stream().map(r -> r.getField("tm").toString()).sorted().toList());
        try (Warehouse w = fx.warehouse()) { // the bounds other engines prune by, in microseconds
            Table t = w.load("tm");
            int id = t.schema().findField("tm").fieldId();
            List<Object> lower = new ArrayList<>();
            for (var task : t.newScan().includeColumnStats().planFiles()) {
                lower.add(org.apache.iceberg.types.Conversions.fromByteBuffer(Types.TimeType.get(), task.file().lowerBounds().get(id)));
            }
            lower.sort(null);
            assertEquals(List.of(3_600_123_000L, 7_200_000_000L), lower);
        }
        samePruned("tm", "tm > '01:30'", 1);
        samePruned("tm", "tm <= '01:00:00.123'", 1);
        samePruned("tm", "tm = '02:00'", 1);
    }

    /**
     * A nanosecond file's last value inside a day's final microsecond (23:59:59.999999500) is on that
     * day, as Iceberg reads it (.999999) and as DuckDB does: its day(ts) partition is that day. The
     * upper bound rounded up to the next microsecond (for pruning) is the next day's midnight, and the
     * import refused the file as holding two partitions.
     */
    @Test
    void imported_nanosecond_timestamps_in_a_days_last_microsecond_partition_by_that_day() throws Exception {
        duck("COPY (SELECT 1::BIGINT id, TIMESTAMP_NS '2024-06-01 23:59:59.9999995' ts UNION ALL"
                + " SELECT 2::BIGINT id, TIMESTAMP_NS '2024-06-01 10:00:00' ts) TO '" + file("nsday/a.parquet") + "' (FORMAT parquet)");
        cli("iceberg", "snapshot", dir.resolve("nsday").toString(), "ns_day", "--partition-by", "day(ts)");
        samePruned("ns_day", "ts >= '2024-06-01 23:59:59.999999'", 1);
        samePruned("ns_day", "ts < '2024-06-02'", 2);
    }

    /**
     * A Hive layout whose file also holds the partition column, with another value than its folder
     * (or NULL): readers take the folder's value, so the import records that value's statistics, not
     * the file's, which made planning skip the file for a query on its folder's value.
     */
    @Test
    void imported_partition_column_whose_file_holds_another_value_than_its_folder() throws Exception {
        duck("COPY (SELECT 1::BIGINT id, 'eu' region) TO '" + file("src/region=eu/a.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 2::BIGINT id, 'eu' region) TO '" + file("src/region=ap/b.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 3::BIGINT id, NULL::VARCHAR region) TO '" + file("src/region=us/c.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 4::BIGINT id, 'us' region) TO '" + file("src/region=__HIVE_DEFAULT_PARTITION__/d.parquet") + "' (FORMAT parquet)",
                "COPY (SELECT 5::BIGINT id) TO '" + file("src/region=ap/e.parquet") + "' (FORMAT parquet)");
        cli("iceberg", "snapshot", dir.resolve("src").toString(), "regional", "--partition-by", "region");
        assertEquals(List.of("id,region", "1,eu", "2,ap", "3,us", "4,", "5,ap"), run("SELECT id, region FROM regional ORDER BY id")
                .stream().sorted(java.util.Comparator.comparing(l -> l.startsWith("id") ? "" : l)).toList());
        samePruned("regional", "region = 'ap'", 2);
        samePruned("regional", "region = 'us'", 1);
        samePruned("regional", "region IN ('ap', 'us')", 3);
        samePruned("regional", "region > 'f'", 1);
        samePruned("regional", "region = 'eu'", 1);
        // add-files records the same
        duck("COPY (SELECT 6::BIGINT id, 'eu' region) TO '" + file("more/region=jp/f.parquet") + "' (FORMAT parquet)");
        cli("iceberg", "add-files", "regional", dir.resolve("more").toString());
        samePruned("regional", "region = 'jp'", 1);
    }

    /**
     * INT96 (Spark's, Hive's, Impala's legacy timestamps) holds UTC instants: Iceberg reads it as a
     * timestamp with time zone, DuckDB as one without, which drops a literal's offset when comparing.
     */
    @Test
    void imported_int96_timestamps_are_instants() throws Exception {
        ByteBuffer int96 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        int96.putLong(36_000L * 1_000_000_000L).putInt(2_460_463); // 2024-06-01 10:00 UTC (nanos of day, Julian day)
        PlainParquet.write(dir.resolve("legacy/a.parquet"), "message m { required int64 id; optional int96 ts; }",
                List.of(Map.of("id", 1L, "ts", Binary.fromConstantByteArray(int96.array()))));
        cli("iceberg", "snapshot", dir.resolve("legacy").toString(), "legacy");
        assertEquals("2024-06-01T10:00Z", iceberg("legacy").get(0).getField("ts").toString());
        assertEquals(List.of("id,ts", "1,2024-06-01T10:00:00Z"), run("SELECT id, ts FROM legacy"));
        assertEquals(List.of("id", "1"), run("SELECT id FROM legacy WHERE ts = '2024-06-01 12:00:00+02'"));
        assertEquals(List.of("id"), run("SELECT id FROM legacy WHERE ts = '2024-06-01 10:00:00-02'"));
    }

    /**
     * An equality delete keyed on a struct's field (s.a): the key is read by its path, not by its
     * own name, which the delete file has no top-level column of (the query failed) and which a
     * top-level column may have too.
     */
    @Test
    void equality_deletes_keyed_on_a_struct_field() throws Exception {
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "a", Types.IntegerType.get()),
                Types.NestedField.optional(3, "s", Types.StructType.of(Types.NestedField.optional(4, "a", Types.IntegerType.get()))));
        try (Warehouse w = fx.warehouse()) {
            var tid = w.identifier("nest");
            w.ensureNamespace(tid.namespace());
            Table t = w.catalog().createTable(tid, schema, PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
            var append = t.newAppend();
            for (int k = 0; k < 6; k++) {
                GenericRecord r = GenericRecord.create(schema);
                r.setField("id", (long) k);
                r.setField("a", k);
                GenericRecord s = GenericRecord.create(schema.findType("s").asStructType());
                s.setField("a", k == 4 ? null : 10 + k);
                r.setField("s", k == 5 ? null : s);
                TestTables.writeData(t, List.of(r)).forEach(append::appendFile);
            }
            append.commit();
            t.updateSchema().addColumn("s", "b", Types.StringType.get()).commit();
            // keys s.a = 12 (row 2), s.a = 1 (no row: 1 is a top-level a), s.a = NULL (row 4; for Iceberg's reader not row 5,
            // whose struct is NULL)
            Schema keySchema = t.schema().select("s.a");
            var factory = new GenericAppenderFactory(t.schema(), t.spec(), new int[] {4}, keySchema, null).setAll(t.properties());
            var writer = factory.newEqDeleteWriter(TestTables.outputFile(t), FileFormat.PARQUET, null);
            try (writer) {
                for (Integer key : new Integer[] {12, 1, null}) {
                    GenericRecord inner = GenericRecord.create(keySchema.findType("s").asStructType());
                    inner.setField("a", key);
                    GenericRecord row = GenericRecord.create(keySchema);
                    row.setField("s", inner);
                    writer.write(row);
                }
            }
            t.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
        }
        List<String> ice = iceberg("nest").stream().map(r -> r.getField("id").toString()).sorted().toList();
        assertEquals(List.of("0", "1", "3", "5"), ice);
        assertEquals(List.of("id", "0", "1", "3", "5"), run("SELECT id FROM nest"));
        samePruned("nest", "a = 1", 1);
        samePruned("nest", "id >= 2", 2);
        samePruned("nest", "s.a > 10", 2);
    }
}
