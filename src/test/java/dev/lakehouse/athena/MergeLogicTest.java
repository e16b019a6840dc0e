package dev.lakehouse.athena;

import static dev.lakehouse.testing.DmsTable.delete;
import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MERGE that convert --engine athena runs, checked row by row: the same statement (with DuckDB
 * reading the raw files and naming their path "filename" instead of Athena's "$path") runs on the
 * local engine, and must give the table the in-process convert gives.
 */
public class MergeLogicTest {
    @TempDir
    Path dir;

    @Test
    void the_merge_gives_the_table_the_in_process_convert_gives() throws Exception {
        LakehouseFixture fx = LakehouseFixture.local(dir);
        DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/orders"), DmsTable.ORDERS, "dms_ts", "dms_seq");
        fx.home().file("environments/local/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n  change_sequence_column: dms_seq\n"
                + "tables:\n" + t.yaml("public.orders", ""));
        Random random = new Random(7);
        List<Object[]> load = new ArrayList<>();
        for (long id = 0; id < 300; id++) {
            // microseconds (DMS's Parquet default), before 1970 and a year-9999 sentinel: Athena reads them as bigint
            var placed = id % 50 == 0 ? ts("1969-12-31T23:59:59.999999") : id % 50 == 1 ? ts("9999-12-31T23:59:59.999999")
                    : ts("2024-01-01T00:00:00").plusMinutes(id).plusNanos(123_456_000 + id * 1_000);
            load.add(row(id, "c" + id, BigDecimal.valueOf(id, 2).setScale(10), placed));
        }
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", load.subList(0, 150));
        t.load("LOAD00000002.parquet", "2024-06-01 12:00:00.000000", load.subList(150, 300));
        long seq = 0;
        for (int f = 0; f < 5; f++) {
            List<DmsTable.Change> changes = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                long key = random.nextInt(350);
                Object[] r = row(key, "v" + f + "-" + i, BigDecimal.valueOf(key + i, 2).setScale(10), ts("2024-06-01T13:00:00"));
                int kind = random.nextInt(10);
                DmsTable.Change c = kind < 3 ? delete(row(key, null, null, null)) : kind < 7 ? update(r) : insert(r);
                // same commit time for a whole file (ties); the sequence orders them
                changes.add(DmsTable.at(c, "2024-06-01 13:00:00.000000", String.format("2024060113000000%010d", ++seq)));
            }
            t.cdc(String.format("2024/06/01/20240601-13%02d00000.parquet", f), changes);
        }
        assertEquals(0, fx.cli().run("iceberg", "convert", "--all").exitCode());
        List<String> converted;
        try (Warehouse w = fx.warehouse()) {
            converted = TestTables.rows(w.load("lakehouse.orders"));
        }

        List<String> files;
        try (Stream<Path> walk = Files.walk(t.folder())) {
            files = walk.filter(p -> p.toString().endsWith(".parquet")).map(Path::toString).sorted().toList();
        }
        // in one MERGE, and as a first convert after the full load goes: the LOAD files alone (no Op
        // column: DMS writes none for a full load by default), then the changes
        List<String> loads = files.stream().filter(f -> f.contains("/LOAD")).toList();
        List<String> changes = files.stream().filter(f -> !f.contains("/LOAD")).toList();
        assertEquals(converted, merged(List.of(files)), "all files in one MERGE");
        assertEquals(converted, merged(List.of(loads, changes)), "the full load, then the changes");
    }

    /** The table the MERGEs of these batches of raw files give, run on DuckDB, as sorted rows (ConvertEnginesAgreeTest too). */
    public static List<String> merged(List<List<String>> batches) throws Exception {
        List<String> merged = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE main.orders (id BIGINT, customer VARCHAR, amount DECIMAL(38,10), placed_at TIMESTAMP)");
            // Athena's session time zone, and its function (bigint or decimal nanoseconds since the epoch)
            s.execute("SET TimeZone = 'UTC'");
            s.execute("CREATE MACRO from_unixtime_nanos(n) AS make_timestamp(CAST(CAST(n AS HUGEINT) // 1000 AS BIGINT))");
            for (List<String> batch : batches) {
                String files = "[" + batch.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", ")) + "]";
                String raw = "read_parquet(" + files + ", filename = true, union_by_name = true)";
                // the raw Glue table declares DMS's microsecond timestamps bigint (RawGlueTables.microsColumns), and
                // Athena then reads their microseconds since the epoch: so does DuckDB here
                java.util.Map<String, Boolean> micros = new java.util.HashMap<>();
                try (ResultSet rs = s.executeQuery("SELECT DISTINCT name, logical_type FROM parquet_schema(" + files
                        + ") WHERE type = 'INT64' AND logical_type LIKE '%TimestampType%MICROS%'")) {
                    while (rs.next()) {
                        micros.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2).contains("isAdjustedToUTC=1"));
                    }
                }
                if (!micros.isEmpty()) {
                    raw = "(SELECT * REPLACE (" + micros.keySet().stream().map(c -> "epoch_us(\"" + c + "\") AS \"" + c + "\"")
                            .collect(Collectors.joining(", ")) + ") FROM " + raw + ")";
                }
                java.util.Set<String> rawColumns = new java.util.HashSet<>(); // what the Glue table would have
                try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * EXCLUDE (filename) FROM " + raw)) {
                    while (rs.next()) {
                        rawColumns.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
                    }
                }
                // DuckDB takes no precision on a timestamp with time zone; Athena's timestamp(6) is DuckDB's own
                s.execute(AthenaStatements.merge("main", "orders", new AthenaStatements.RawSource(raw, "filename"), batch,
                        List.of("id"), List.of("id", "customer", "amount", "placed_at"), "dms_seq", rawColumns, micros)
                        .replace("timestamp(6) with time zone", "timestamptz"));
            }
            try (ResultSet rs = s.executeQuery("SELECT id, customer, amount, placed_at FROM main.orders")) {
                while (rs.next()) {
                    merged.add("(" + rs.getLong(1) + ", " + rs.getString(2) + ", " + rs.getBigDecimal(3).toPlainString() + ", "
                            + rs.getObject(4, java.time.LocalDateTime.class) + ")");
                }
            }
        }
        merged.sort(null);
        return merged;
    }
}
