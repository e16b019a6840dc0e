package dev.lakehouse.bench;

import dev.lakehouse.env.Environment;
import dev.lakehouse.env.EnvironmentLoader;
import dev.lakehouse.env.SystemEnvironment;
import dev.lakehouse.iceberg.Compaction;
import dev.lakehouse.iceberg.TableFiles;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.output.ByteSize;
import dev.lakehouse.output.Progress;
import dev.lakehouse.testing.TestHome;
import dev.lakehouse.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;

/**
 * Compaction throughput on this machine: generates a local table of N small files (with a few
 * position and equality deletes), compacts it in-process, and prints MB/s and files/s of the
 * compaction alone. Run: {@code make bench-compact [FILES=2000 ROWS=500]} (see docs/performance.md).
 */
public final class CompactionBenchmark {
    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rowsPerFile = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf(Locale.ROOT, "compaction benchmark: %d files x %d rows, %d runs, Java %s, %d cores, max heap %s%n",
                files, rowsPerFile, runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ByteSize.of(Runtime.getRuntime().maxMemory()));
        for (int run = 1; run <= runs; run++) {
            Path dir = Files.createTempDirectory("lakehouse-bench-");
            try {
                new TestHome(dir).localEnv();
                SystemEnvironment system = new SystemEnvironment(Map.of(), Map.of(), dir, false, false);
                Environment env = new EnvironmentLoader(system).load(new EnvironmentLoader.Request("local", null, null, null));
                try (Warehouse w = Warehouse.open(env)) {
                    long t0 = System.nanoTime();
                    Table t = generate(w, files, rowsPerFile);
                    var before = TableFiles.stats(t, t.currentSnapshot());
                    long t1 = System.nanoTime();
                    var result = new Compaction(t, Progress.none())
                            .run(new Compaction.Options(0, Expressions.alwaysTrue(), 5, false, 1));
                    long t2 = System.nanoTime();
                    double seconds = (t2 - t1) / 1e9;
                    System.out.printf(Locale.ROOT,
                            "run %d: generate %.1fs; compact %d files (%s, %d rows) -> %d files in %.2fs:"
                                    + " %.1f MB/s, %.0f files/s, %.0f rows/s%n",
                            run, (t1 - t0) / 1e9, result.filesRewritten(), ByteSize.of(result.bytesRewritten()),
                            before.records(), result.filesAdded(), seconds,
                            result.bytesRewritten() / 1e6 / seconds, result.filesRewritten() / seconds,
                            before.records() / seconds);
                }
            } finally {
                deleteTree(dir);
            }
        }
    }

    static Table generate(Warehouse w, int files, int rowsPerFile) {
        Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
        List<DataFile> written = new ArrayList<>();
        var append = t.newAppend();
        for (int f = 0; f < files; f++) {
            List<DataFile> batch = TestTables.writeData(t, TestTables.orders((long) f * rowsPerFile, rowsPerFile));
            batch.forEach(append::appendFile);
            written.addAll(batch);
        }
        append.commit();
        RowDelta deletes = t.newRowDelta();
        for (int i = 0; i < files; i += 50) {
            deletes.addDeletes(TestTables.writePositionDeletes(t, written.get(i), 0, 1));
        }
        deletes.commit();
        List<Long> ids = new ArrayList<>();
        for (long id = 0; id < (long) files * rowsPerFile; id += 997) {
            ids.add(id);
        }
        TestTables.deleteIds(t, ids);
        return t;
    }

    static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
