package dev.lakehouse.convert;

import static dev.lakehouse.testing.DmsTable.delete;
import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.iceberg.ScanTaskReader;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first convert done by DuckDB ({@link BulkLoad}): partition values exactly as Iceberg's
 * transforms compute them (or a wrong partition filter would skip rows), what it leaves to the
 * Java path, and the same errors as the Java path. The golden cases run through both paths
 * ({@link ConvertGoldenTest}, {@link ConvertGoldenJavaPathTest}).
 */
class BulkLoadTest {
    @TempDir
    Path dir;

    @AfterEach
    void bulkLoadsOn() {
        Converter.bulkLoads = true;
        BulkLoad.memoryLimit = null;
        BulkLoad.flushRows = 131_072;
    }

    static Object[] order(long id, LocalDateTime placed) {
        return row(id, "c" + id, new BigDecimal(id + ".5").setScale(10), placed);
    }

    /** Times around the edges of the time transforms: before 1970, the epoch, hour and day ends, year 9999, NULL. */
    static final List<LocalDateTime> TIMES = Stream.of("1900-01-01T00:30:00", "1969-12-31T23:59:59.999999",
            "1969-12-31T23:00:00", "1970-01-01T00:00:00", "1970-01-01T00:59:59.999999", "2024-02-29T23:59:59.999999",
            "2024-03-01T00:00:00", "9999-12-31T23:59:59.999999").map(DmsTable::ts).toList();

    LakehouseFixture fx;

    DmsTable table(String tableYaml) {
        fx = LakehouseFixture.local(dir);
        DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/orders"), DmsTable.ORDERS, "dms_ts", null);
        fx.home().file("environments/local/tables.yaml", "defaults:\n  timestamp_column: dms_ts\ntables:\n"
                + t.yaml("public.orders", tableYaml));
        return t;
    }

    /** Loads ids -20..20 (negative ids for truncate) over TIMES and a NULL time, then changes some. */
    static void history(DmsTable t) {
        List<Object[]> rows = new ArrayList<>();
        for (long id = -20; id <= 20; id++) {
            int i = (int) Math.floorMod(id, TIMES.size() + 1);
            rows.add(order(id, i == TIMES.size() ? null : TIMES.get(i)));
        }
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows);
        rows.forEach(r -> t.happened(insert(r)));
        var changes = List.of(update(order(-7, ts("1969-06-15T12:00:00"))), delete(row(3L, null, null, null)),
                insert(order(100, ts("9999-12-31T00:00:00"))), update(order(5, null)), delete(row(999L, null, null, null)));
        t.cdc("20240601-130000000.parquet", changes);
        t.happened(changes);
    }

    String engine() {
        try (Warehouse w = fx.warehouse()) {
            return w.load("lakehouse.orders").currentSnapshot().summary().get(ConvertState.PREFIX + "engine");
        }
    }

    @Test
    void partition_values_are_the_ones_icebergs_transforms_compute() throws Exception {
        for (String spec : List.of("year(placed_at)", "month(placed_at)", "day(placed_at)", "hour(placed_at)",
                "truncate(7, id)", "id", "day(placed_at), truncate(5, id)")) {
            dir = dir.resolve(spec.replaceAll("\\W", "_"));
            DmsTable t = table("partition_by: [\"" + spec.replace(", t", "\", \"t") + "\"]");
            history(t);
            CliRun.Result r = fx.cli().run("iceberg", "convert", "orders");
            assertEquals(0, r.exitCode(), spec + ": " + r);
            assertEquals("duckdb", engine(), spec + ": the first convert went to DuckDB");
            try (Warehouse w = fx.warehouse()) {
                Table table = w.load("lakehouse.orders");
                assertEquals(t.expected(), TestTables.rows(table), spec);
                int files = 0;
                PartitionKey expected = new PartitionKey(table.spec(), table.schema());
                InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
                try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
                    for (FileScanTask task : tasks) {
                        files++;
                        try (CloseableIterable<Record> rows = new ScanTaskReader(table).open(task)) {
                            for (Record row : rows) {
                                expected.partition(wrapper.wrap(row));
                                for (int i = 0; i < table.spec().fields().size(); i++) {
                                    assertEquals(expected.get(i, Object.class), task.file().partition().get(i, Object.class),
                                            spec + ": " + row + " in " + task.file().location());
                                }
                            }
                        }
                        assertTrue(task.file().location().contains("/data/" + table.spec().partitionToPath(task.file().partition())
                                + "/"), "written where Iceberg puts the partition: " + task.file().location());
                        assertTrue(task.file().lowerBounds().containsKey(1), "metrics from the footer");
                    }
                }
                assertTrue(files > 1, spec + ": several partitions");
            }
            try (Stream<Path> left = Files.walk(fx.home().root().resolve(".lakehouse"))) {
                assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("__lh_")), "no staging folder left");
            }
        }
    }

    @Test
    void each_partition_is_one_file_even_with_hundreds_of_partitions() throws Exception {
        // rows flushed to the partition files many times over, more partitions than DuckDB's default open-file limit
        BulkLoad.flushRows = 2_000;
        DmsTable t = table("partition_by: [\"truncate(100, id)\"]");
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < 15_000; i++) {
            rows.add(order(i * 7919 % 15_000, null)); // every id once, the partitions interleaved
        }
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows);
        CliRun.Result r = fx.cli().run("iceberg", "convert", "orders");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("duckdb", engine());
        try (Warehouse w = fx.warehouse()) {
            Table table = w.load("lakehouse.orders");
            Map<String, Integer> filesPerPartition = new HashMap<>();
            long rowsInFiles = 0;
            try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                for (FileScanTask task : tasks) {
                    filesPerPartition.merge(table.spec().partitionToPath(task.file().partition()), 1, Integer::sum);
                    rowsInFiles += task.file().recordCount();
                }
            }
            assertEquals(150, filesPerPartition.size(), "partitions");
            assertEquals(Set.of(1), Set.copyOf(filesPerPartition.values()), "files per partition: " + filesPerPartition);
            assertEquals(15_000, rowsInFiles);
        }
    }

    @Test
    void what_duckdb_cannot_partition_takes_the_java_path() throws Exception {
        DmsTable t = table("partition_by: [\"bucket(4, id)\"]");
        history(t);
        CliRun.Result r = fx.cli().run("iceberg", "convert", "orders");
        assertEquals(0, r.exitCode(), r.toString());
        assertNull(engine(), "bucket(N) is Murmur3, which DuckDB does not compute");
        try (Warehouse w = fx.warehouse()) {
            assertEquals(t.expected(), TestTables.rows(w.load("lakehouse.orders")));
        }
    }

    @Test
    void a_backlog_bigger_than_duckdbs_memory_goes_to_the_java_path_in_batches() throws Exception {
        DmsTable t = table("");
        history(t);
        BulkLoad.memoryLimit = "1MB";
        CliRun.Result r = fx.cli().run("iceberg", "convert", "orders");
        assertEquals(0, r.exitCode(), r.toString());
        assertNull(engine(), "DuckDB ran out of memory, so the Java path converted");
        try (Warehouse w = fx.warehouse(); Stream<Path> left = Files.walk(fx.home().root().resolve(".lakehouse"))) {
            assertEquals(t.expected(), TestTables.rows(w.load("lakehouse.orders")));
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("__lh_")), "no staging folder left");
        }
    }

    @Test
    void a_row_without_a_key_or_with_a_bad_op_stops_the_table_with_the_java_paths_message() throws Exception {
        List<String> messages = new ArrayList<>();
        for (boolean bulk : List.of(true, false)) {
            Converter.bulkLoads = bulk;
            dir = dir.resolve("bulk-" + bulk);
            DmsTable t = table("");
            t.load("LOAD00000001.parquet", null, List.<Object[]>of(order(1, null), order(2, null), new Object[] {null, "no key", null, null}));
            CliRun.Result r = fx.cli().run("iceberg", "convert", "orders");
            assertEquals(1, r.exitCode(), r.toString());
            messages.add(r.err().lines().filter(l -> l.contains("no value for the key")).findFirst().orElse(r.err()));
            try (Warehouse w = fx.warehouse()) {
                assertNull(w.load("lakehouse.orders").currentSnapshot(), "nothing committed");
            }

            dir = dir.resolve("op");
            t = table("");
            t.load("LOAD00000001.parquet", null, List.<Object[]>of(order(1, null)));
            t.cdc("20240601-130000000.parquet", List.of(update(order(1, null)), new DmsTable.Change('X', order(1, null), null, null)));
            r = fx.cli().run("iceberg", "convert", "orders");
            assertEquals(1, r.exitCode(), r.toString());
            messages.add(r.err().lines().filter(l -> l.contains("has Op")).findFirst().orElse(r.err()));
        }
        assertTrue(messages.get(0).contains("LOAD00000001.parquet: row 3 has no value for the key (id)"), messages.get(0));
        assertTrue(messages.get(1).contains("20240601-130000000.parquet: row 2 has Op 'X' (expected I, U or D)"), messages.get(1));
        assertEquals(messages.subList(0, 2).stream().map(BulkLoadTest::withoutFolder).toList(),
                messages.subList(2, 4).stream().map(BulkLoadTest::withoutFolder).toList(), "both paths say the same");
    }

    private static String withoutFolder(String message) {
        return message.replaceAll("/\\S*/", "");
    }
}
