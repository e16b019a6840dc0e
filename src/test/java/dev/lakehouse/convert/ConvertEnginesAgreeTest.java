package dev.lakehouse.convert;

import static dev.lakehouse.testing.DmsTable.at;
import static dev.lakehouse.testing.DmsTable.delete;
import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.athena.MergeLogicTest;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.DmsTable.Change;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same raw files through the three ways convert applies them: the Java path (in small
 * batches and in one), the DuckDB first convert, and the Athena MERGE (run on DuckDB). They must
 * give the one table the model says.
 */
class ConvertEnginesAgreeTest {
    @TempDir
    Path dir;

    @AfterEach
    void bulkLoadsOn() {
        Converter.bulkLoads = true;
    }

    static Object[] order(long id, String customer) {
        return row(id, customer, new BigDecimal(id + ".25").setScale(10), ts("2024-05-01T10:00:00").plusMinutes(id));
    }

    /** LOAD files past counter 9, changes during the full load, ties, every same-key sequence; with a change sequence. */
    static DmsTable write(Path raw) {
        DmsTable t = new DmsTable(raw, DmsTable.ORDERS, "dms_ts", "dms_seq");
        for (int f = 1; f <= 11; f++) {
            List<Object[]> rows = List.of(order(f * 10L, "c" + f), order(f * 10L + 1, "d" + f));
            t.load(String.format("LOAD%08X.parquet", f), "2024-06-01 12:00:05.000000", rows);
            rows.forEach(r -> t.happened(insert(r)));
        }
        long[] seq = {0};
        java.util.function.Function<Change, Change> stamp = c -> at(c, "2024-06-01 12:00:01.000000",
                String.format("20240601120001000000%06d", ++seq[0]));
        List<Change> first = Stream.of(
                update(order(100, "changed during the load, earlier commit time")), delete(order(101, null)),
                update(order(1, "v1")), update(order(1, "v2")), delete(order(20, null)), insert(order(20, "reinserted")),
                insert(order(5, "short-lived")), delete(row(5L, null, null, null)), update(order(50, "U of a missing key")),
                delete(row(60L, null, null, null)), delete(row(30L, null, null, null)), insert(order(40, "I over existing")))
                .map(stamp).toList();
        t.cdc("2024/06/01/20240601-120010000.parquet", first);
        t.happened(first);
        List<Change> second = Stream.of(delete(row(1L, null, null, null)), insert(order(30, "back")), update(order(20, "again")),
                delete(row(50L, null, null, null)), insert(order(1, "back too"))).map(stamp).toList();
        t.cdc("2024/06/01/20240601-120110000.parquet", second);
        t.happened(second);
        return t;
    }

    List<String> converted(String name, boolean bulk, int batchRows) {
        Converter.bulkLoads = bulk;
        LakehouseFixture fx = LakehouseFixture.local(dir.resolve(name));
        DmsTable t = write(fx.home().root().resolve(".lakehouse/raw/public/orders"));
        fx.home().file("environments/local/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n  change_sequence_column: dms_seq\n"
                + "tables:\n" + t.yaml("public.orders", "batch_rows: " + batchRows));
        var r = fx.cli().run("iceberg", "convert", "--all");
        assertEquals(0, r.exitCode(), r.toString());
        try (Warehouse w = fx.warehouse()) {
            List<String> rows = TestTables.rows(w.load("lakehouse.orders"));
            assertEquals(t.expected(), rows, name);
            return rows;
        }
    }

    @Test
    void the_java_path_duckdb_and_the_athena_merge_give_the_same_table() throws Exception {
        List<String> duck = converted("duckdb", true, 250_000);
        assertEquals(duck, converted("java-one-batch", false, 250_000), "Java path, one batch");
        assertEquals(duck, converted("java-small-batches", false, 3), "Java path, batches of 3 rows");

        List<String> files;
        try (Stream<Path> walk = Files.walk(write(dir.resolve("raw")).folder())) {
            files = walk.filter(p -> p.toString().endsWith(".parquet")).map(Path::toString).sorted().toList();
        }
        List<String> loads = files.stream().filter(f -> f.contains("/LOAD")).toList();
        List<String> changes = files.stream().filter(f -> !f.contains("/LOAD")).toList();
        assertEquals(duck, MergeLogicTest.merged(List.of(files)), "one MERGE");
        assertEquals(duck, MergeLogicTest.merged(List.of(loads, changes.subList(0, 1), changes.subList(1, 2))), "a MERGE per phase and file");
    }
}
