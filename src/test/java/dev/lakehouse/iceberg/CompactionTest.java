package dev.lakehouse.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.Progress;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** compact: same rows after, fewer files, no delete files left; concurrency on the JDBC catalog. */
@ExtendWith(MotoServer.class)
class CompactionTest {
    @TempDir
    Path dir;

    static Stream<String> envs() {
        return Stream.of("local", "aws");
    }

    LakehouseFixture fixture(String kind) throws Exception {
        MotoServer.reset();
        return kind.equals("local") ? LakehouseFixture.local(dir) : LakehouseFixture.aws(dir);
    }

    static final PartitionSpec BY_REGION = PartitionSpec.builderFor(TestTables.ORDERS).identity("region").build();

    /** ~200 small files (in 4 commits), position deletes on 10 of them, equality deletes for 40 ids. */
    static Table messyTable(Warehouse w) {
        Table t = TestTables.createOrders(w, "orders", BY_REGION, Map.of("format-version", "2"));
        List<DataFile> files = new ArrayList<>();
        for (int commit = 0; commit < 4; commit++) {
            List<DataFile> batch = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                // 15 rows over 3 regions: 3 files per write
                batch.addAll(TestTables.writeData(t, TestTables.orders(commit * 100_000L + i * 15L, 15)));
            }
            var append = t.newAppend();
            batch.forEach(append::appendFile);
            append.commit();
            files.addAll(batch);
        }
        var positionDeletes = t.newRowDelta();
        for (int i = 0; i < 10; i++) {
            positionDeletes.addDeletes(TestTables.writePositionDeletes(t, files.get(i * 7), 0, 2));
        }
        positionDeletes.commit();
        List<Long> ids = new ArrayList<>();
        for (long id = 0; id < 400; id += 10) {
            ids.add(id);
        }
        TestTables.deleteIds(t, ids);
        return t;
    }

    static long deleteFilesInScan(Table t) throws IOException {
        t.refresh();
        long n = 0;
        try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                n += task.deletes().size();
            }
        }
        return n;
    }

    @ParameterizedTest
    @MethodSource("envs")
    void compact_keeps_every_row_and_leaves_few_files_and_no_deletes(String kind) throws Exception {
        var fx = fixture(kind);
        String before;
        int filesBefore;
        try (Warehouse w = fx.warehouse()) {
            Table t = messyTable(w);
            before = TestTables.checksum(t);
            filesBefore = (int) TableFiles.stats(t, t.currentSnapshot()).dataFiles();
            assertTrue(filesBefore > 150, "setup made " + filesBefore + " files");
            assertTrue(deleteFilesInScan(t) > 0);
        }
        var dry = fx.cli().run("iceberg", "compact", "orders", "--dry-run", "-o", "json");
        assertEquals(0, dry.exitCode(), dry.toString());
        JsonNode plan = new ObjectMapper().readTree(dry.out());
        assertEquals(3, plan.size(), "one group per region: " + dry.out());
        assertTrue(dry.err().contains("dry run: would rewrite " + filesBefore + " files"), dry.err());

        var r = fx.cli().run("iceberg", "compact", "orders", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode result = new ObjectMapper().readTree(r.out());
        assertEquals(filesBefore, result.get("files_rewritten").asInt());
        assertEquals(3, result.get("files_added").asInt());
        assertTrue(result.get("delete_files_removed").asInt() >= 11, r.out());

        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders");
            assertEquals(before, TestTables.checksum(t), "same rows after compaction");
            var stats = TableFiles.stats(t, t.currentSnapshot());
            assertEquals(3, stats.dataFiles());
            assertEquals(0, stats.positionDeleteFiles() + stats.equalityDeleteFiles(), "no delete files left");
            assertEquals(0, deleteFilesInScan(t));
            assertEquals("replace", t.currentSnapshot().operation());
        }
    }

    @Test
    void the_dry_run_changes_nothing_and_a_bad_filter_is_a_usage_error() throws Exception {
        var fx = fixture("local");
        long snapshot;
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", BY_REGION, Map.of());
            for (int i = 0; i < 6; i++) {
                TestTables.appendFiles(t, i * 100L, 1, 30);
            }
            snapshot = t.currentSnapshot().snapshotId();
        }
        var dry = fx.cli().run("iceberg", "compact", "orders", "--dry-run", "--where", "region = 'eu'");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertTrue(dry.out().contains("region=eu"), dry.out());
        assertTrue(!dry.out().contains("region=us"), dry.out());
        try (Warehouse w = fx.warehouse()) {
            assertEquals(snapshot, w.load("orders").currentSnapshot().snapshotId());
        }
        var bad = fx.cli().run("iceberg", "compact", "orders", "--where", "regoin = 'eu'");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.errorLine().startsWith("error: --where 'regoin = 'eu'': "), bad.errorLine());
        assertTrue(bad.errorLine().contains("regoin"), bad.errorLine());
        // a date or a space for the T on a timestamp column, as the query engines read it (it crashed with
        // 'unexpected DateTimeParseException'); text that is no time is one usage line
        for (String where : List.of("created_at >= '2024-01-01'", "created_at BETWEEN '2024-01-01 00:00:00' AND '2025-01-01'",
                "created_at < '2024-01-01T00:00:00Z' OR created_at IN ('2024-01-01T00:01:00+00:00')")) {
            var dated = fx.cli().run("iceberg", "compact", "orders", "--dry-run", "--where", where);
            assertEquals(0, dated.exitCode(), where + ": " + dated);
        }
        var notATime = fx.cli().run("iceberg", "compact", "orders", "--dry-run", "--where", "created_at >= 'soon'");
        assertEquals(2, notATime.exitCode(), notATime.toString());
        assertTrue(notATime.errorLine().startsWith("error: --where 'created_at >= 'soon'': "), notATime.errorLine());
        assertTrue(notATime.errorLine().endsWith("(a time is written 2024-06-01, 2024-06-01 12:00:00 or 2024-06-01T12:00:00Z)"),
                notATime.errorLine());
        var badSize = fx.cli().run("iceberg", "compact", "orders", "--target-size", "big");
        assertEquals(2, badSize.exitCode());
        assertTrue(badSize.errorLine().contains("--target-size: 'big' is not a size"), badSize.errorLine());
    }

    /**
     * A failure after the commit (reading the table back: Glue throttles) is reported as such, and the
     * files just committed stay: they used to be deleted as if nothing had been committed.
     */
    @Test
    void a_failure_after_the_commit_keeps_the_committed_files() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse()) {
            Table t = messyTable(w);
            List<String> rows = TestTables.rows(t);
            var failed = org.junit.jupiter.api.Assertions.assertThrows(dev.lakehouse.cli.LakehouseException.class,
                    () -> new Compaction(t, Progress.none())
                            .afterCommit(() -> {
                                throw new IllegalStateException("Rate exceeded");
                            })
                            .run(new Compaction.Options(0, Expressions.alwaysTrue(), 5, false, 3)));
            assertTrue(failed.getMessage().contains("was committed, but reading the table back failed (Rate exceeded)"),
                    failed.getMessage());
            Table after = w.load("orders");
            assertEquals("bin-pack", after.currentSnapshot().summary().get(Compaction.SUMMARY_KEY), "the compaction committed");
            assertEquals(rows, TestTables.rows(after), "and every file it wrote is there to read");
        }
    }

    @Test
    void a_concurrent_append_is_kept() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse(); Warehouse other = fx.warehouse()) {
            Table t = messyTable(w);
            List<String> rows = new ArrayList<>(TestTables.rows(t));
            Table concurrent = other.load("orders");
            var result = new Compaction(t, Progress.none())
                    .beforeCommit(() -> TestTables.appendFiles(concurrent, 900_000, 1, 9))
                    .run(new Compaction.Options(0, Expressions.alwaysTrue(), 5, false, 3));
            assertEquals(1, result.attempts());
            for (long id = 900_000; id < 900_009; id++) {
                rows.add(TestTables.text(TestTables.ORDERS, TestTables.order(id)));
            }
            rows.sort(null);
            assertEquals(rows, TestTables.rows(w.load("orders")), "compacted rows plus the concurrent append");
        }
    }

    @Test
    void a_conflicting_concurrent_delete_makes_compact_replan_and_the_delete_wins() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse(); Warehouse other = fx.warehouse()) {
            Table t = messyTable(w);
            Table concurrent = other.load("orders");
            DataFile victim = firstDataFile(concurrent);
            boolean[] once = {false};
            var result = new Compaction(t, Progress.none()).beforeCommit(() -> {
                if (!once[0]) {
                    once[0] = true;
                    TestTables.deletePositions(concurrent, victim, 1);
                }
            }).run(new Compaction.Options(0, Expressions.alwaysTrue(), 5, false, 3));
            assertEquals(2, result.attempts(), "the first attempt conflicted and was re-planned");
            Table after = w.load("orders");
            assertEquals(TestTables.rows(concurrent), TestTables.rows(after));
            assertEquals(0, deleteFilesInScan(after));
        }
    }

    @Test
    void when_attempts_run_out_compact_fails_cleanly_with_the_table_unchanged() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse(); Warehouse other = fx.warehouse()) {
            Table t = messyTable(w);
            Table concurrent = other.load("orders");
            DataFile victim = firstDataFile(concurrent);
            long filesOnDiskBefore = parquetFilesUnder(Path.of(t.location()));
            var e = assertThrows(LakehouseException.class, () -> new Compaction(t, Progress.none())
                    .beforeCommit(() -> TestTables.deletePositions(concurrent, victim, 3))
                    .run(new Compaction.Options(0, Expressions.alwaysTrue(), 5, false, 1)));
            assertTrue(e.getMessage().contains("changed concurrently"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was committed"), e.getMessage());
            concurrent.refresh();
            Table after = w.load("orders");
            assertEquals(concurrent.currentSnapshot().snapshotId(), after.currentSnapshot().snapshotId(),
                    "the table is as the concurrent delete left it");
            assertNotEquals("replace", after.currentSnapshot().operation());
            assertEquals(filesOnDiskBefore + 1, parquetFilesUnder(Path.of(t.location())),
                    "the files compact wrote were removed (only the concurrent delete file is new)");
        }
    }

    static DataFile firstDataFile(Table t) throws IOException {
        try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
            return tasks.iterator().next().file();
        }
    }

    static long parquetFilesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }
}
