package dev.lakehouse.convert;

import static dev.lakehouse.testing.DmsTable.delete;
import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.DmsTable.Change;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exactly once under kill -9 (a child JVM killed at many points) and under two converts at once. */
class ConvertResilienceTest {
    @TempDir
    Path dir;

    static final int LOAD_FILES = 8;
    static final int LOAD_ROWS = 1500;
    static final int CDC_FILES = 16;

    /** A table with many batches (batch_rows 1000): LOAD files and CDC files of updates, deletes, inserts. */
    static DmsTable history(LakehouseFixture fx) {
        DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/orders"), DmsTable.ORDERS, "dms_ts", null);
        fx.home().file("environments/local/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n  batch_rows: 1000\ntables:\n"
                + t.yaml("public.orders", ""));
        Random random = new Random(42);
        long id = 0;
        for (int f = 1; f <= LOAD_FILES; f++) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < LOAD_ROWS; i++, id++) {
                rows.add(row(id, "c" + id, BigDecimal.valueOf(id, 2).setScale(10), ts("2024-01-01T00:00:00").plusSeconds(id)));
            }
            t.load(String.format("LOAD%08X.parquet", f), "2024-06-01 12:00:00.000000", rows);
            rows.forEach(r -> t.happened(insert(r)));
        }
        long nextId = id;
        for (int f = 0; f < CDC_FILES; f++) {
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int kind = random.nextInt(10);
                long key = kind < 8 ? random.nextInt((int) nextId) : nextId++;
                Object[] r = row(key, "v" + f + "-" + i, BigDecimal.valueOf(key + i, 2).setScale(10), ts("2024-06-01T13:00:00").plusSeconds(f));
                changes.add(kind < 2 ? delete(row(key, null, null, null)) : kind < 8 ? update(r) : insert(r));
            }
            t.cdc(String.format("2024/06/01/20240601-13%02d00000.parquet", f), changes);
            t.happened(changes);
        }
        return t;
    }

    static long filesAppliedInSummaries(Table table) {
        long files = 0;
        for (Snapshot s : table.snapshots()) {
            files += Long.parseLong(s.summary().getOrDefault(ConvertState.PREFIX + "files", "0"));
        }
        return files;
    }

    @Test
    void killed_at_any_moment_and_run_again_the_table_is_the_one_a_clean_run_gives() throws Exception {
        // the Java path: many commits (batch_rows 1000), killed between and inside them
        killedAndRunAgain(new long[] {1200, 1500, 1800, 2100, 2400, 2700, 3000, 3400, 3800, 4300}, JavaPathLakehouse.class);
    }

    @Test
    void a_first_convert_in_duckdb_killed_and_run_again_gives_the_same_table() throws Exception {
        // the DuckDB path: one commit after the data files are written; killed at points from start-up to the commit
        killedAndRunAgain(new long[] {300, 500, 700, 900, 1100, 1300, 1500, 1700, 1900, 2200, 2600, 3000}, dev.lakehouse.Lakehouse.class);
    }

    /** Runs the first convert in child JVMs killed after each delay until one finishes, then once more. */
    private void killedAndRunAgain(long[] delays, Class<?> main) throws Exception {
        LakehouseFixture fx = LakehouseFixture.local(dir);
        DmsTable t = history(fx);
        int kills = 0;
        for (long delay : delays) {
            Process p = child(fx.home().root(), main);
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
                p.waitFor();
                kills++;
            } else {
                assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
                break;
            }
        }
        Process last = child(fx.home().root(), main);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), new String(last.getInputStream().readAllBytes()));
        assertTrue(kills >= 3, "the child was killed mid-run " + kills + " times");
        try (Warehouse w = fx.warehouse()) {
            Table table = w.load("lakehouse.orders");
            assertEquals(t.expected(), TestTables.rows(table));
            assertEquals(LOAD_FILES + CDC_FILES, filesAppliedInSummaries(table), "every raw file applied exactly once");
        }
    }

    /** `lakehouse iceberg convert --all` on the Java path only (a child JVM's main). */
    public static final class JavaPathLakehouse {
        public static void main(String[] args) {
            Converter.bulkLoads = false;
            dev.lakehouse.Lakehouse.main(args);
        }
    }

    /** `lakehouse iceberg convert --all` in a child JVM, as a user runs it. */
    static Process child(Path home, Class<?> main) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                main.getName(), "iceberg", "convert", "--all", "-q")
                .directory(home.toFile())
                .redirectErrorStream(true);
        pb.environment().put("LAKEHOUSE_HOME", home.toString());
        pb.environment().remove("LAKEHOUSE_ENV");
        pb.redirectOutput(ProcessBuilder.Redirect.to(new File(home.toFile(), "child-" + System.nanoTime() + ".log")));
        return pb.start();
    }

    @Test
    void two_converts_of_one_table_at_once_apply_each_file_once() throws Exception {
        twoAtOnce(dev.lakehouse.Lakehouse.class);
    }

    @Test
    void two_converts_at_once_on_the_java_path_apply_each_file_once() throws Exception {
        twoAtOnce(JavaPathLakehouse.class);
    }

    /**
     * Two converts of one table at once, in two processes as two cron jobs run them. (In threads of
     * one JVM, SQLite's native open of the shared catalog once hung both threads for good, and every
     * later open in that JVM: a hazard of the test, not of two CLI processes.)
     */
    private void twoAtOnce(Class<?> main) throws Exception {
        LakehouseFixture fx = LakehouseFixture.local(dir);
        DmsTable t = history(fx);
        List<Process> runs = List.of(child(fx.home().root(), main), child(fx.home().root(), main));
        for (Process run : runs) {
            assertTrue(run.waitFor(120, TimeUnit.SECONDS), "a convert did not finish in 2 minutes");
            assertEquals(0, run.exitValue(), "both converts succeed: " + logs(fx.home().root()));
        }
        try (Warehouse w = fx.warehouse()) {
            Table table = w.load("lakehouse.orders");
            assertEquals(t.expected(), TestTables.rows(table));
            assertEquals(LOAD_FILES + CDC_FILES, filesAppliedInSummaries(table), "the two runs applied every file once between them");
        }
    }

    private static String logs(Path home) throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        try (var files = java.nio.file.Files.list(home)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("child-")).sorted().toList()) {
                all.append(java.nio.file.Files.readString(f));
            }
        }
        return all.toString();
    }
}
