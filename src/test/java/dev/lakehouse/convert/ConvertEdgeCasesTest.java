package dev.lakehouse.convert;

import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw data that once lost or duplicated rows: binary values, keys beyond U+FFFF, an empty first CSV file. */
class ConvertEdgeCasesTest {
    @TempDir
    Path dir;
    LakehouseFixture fx;

    @AfterEach
    void bulkLoadsOn() {
        Converter.bulkLoads = true;
    }

    static final List<DmsTable.Col> BLOBS = List.of(new DmsTable.Col("id", "int64", "long"),
            new DmsTable.Col("data", "binary", "binary"));

    CliRun.Result convert() {
        CliRun.Result r = fx.cli().run("iceberg", "convert", "--all");
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    /**
     * Each change row keeps its own bytes. Parquet's reader reuses one buffer for a binary column,
     * and change rows are kept until the commit: every kept row ended up with the last row's bytes.
     */
    @Test
    void binary_values_keep_their_own_bytes() throws Exception {
        for (boolean bulk : new boolean[] {true, false}) {
            Converter.bulkLoads = bulk; // the first convert through DuckDB, or all in Java
            fx = LakehouseFixture.local(dir.resolve(bulk ? "bulk" : "java"));
            DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/blobs"), BLOBS, null, null);
            fx.home().file("environments/local/tables.yaml", "tables:\n  public.blobs:\n    key: [id]\n");
            t.load("LOAD00000001.parquet", null, List.<Object[]>of(row(1L, bin("aaaa")), row(2L, bin("bbbb")), row(3L, bin("cccc"))));
            t.cdc("20240601-120000000.parquet", List.of(update(row(3L, bin("xxxx"))), insert(row(5L, bin("yyyy")))));
            convert();
            t.cdc("20240601-130000000.parquet", List.of(update(row(1L, bin("one"))), update(row(2L, bin("two"))),
                    insert(row(4L, bin("four")))));
            convert();
            assertEquals(List.of("1=one", "2=two", "3=xxxx", "4=four", "5=yyyy"), blobs(), bulk ? "bulk load first" : "Java path");
        }
    }

    static final List<DmsTable.Col> CODES = List.of(new DmsTable.Col("code", "binary (STRING)", "string"),
            new DmsTable.Col("label", "binary (STRING)", "string"));

    /**
     * Keys "｡" (U+FF61) and "😀" (U+1F600) sort one way in Java's UTF-16 compareTo and the other in
     * Iceberg's file bounds: the key range skipped both files, and each update added a second row.
     */
    @Test
    void updates_find_string_keys_beyond_the_basic_plane() throws Exception {
        fx = LakehouseFixture.local(dir);
        DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/codes"), CODES, null, null);
        fx.home().file("environments/local/tables.yaml", "tables:\n  public.codes:\n    key: [code]\n");
        String halfwidth = "\uFF61";
        String emoji = "\uD83D\uDE00";
        t.load("LOAD00000001.parquet", null, List.<Object[]>of(row(halfwidth, "a")));
        t.happened(insert(row(halfwidth, "a")));
        convert();
        t.cdc("20240601-120000000.parquet", List.of(insert(row(emoji, "b"))));
        t.happened(insert(row(emoji, "b")));
        convert();
        var changes = List.of(update(row(halfwidth, "a2")), update(row(emoji, "b2")));
        t.cdc("20240601-130000000.parquet", changes);
        t.happened(changes);
        convert();
        try (Warehouse w = fx.warehouse()) {
            assertEquals(t.expected(), TestTables.rows(w.load("lakehouse.codes")));
        }
    }

    /** DMS writes empty CDC files; one first (a table empty at full load) stopped the table for good. */
    @Test
    void an_empty_first_csv_file_does_not_stop_the_table() throws Exception {
        fx = LakehouseFixture.local(dir);
        DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/orders"), DmsTable.ORDERS, "dms_ts", null);
        fx.home().file("environments/local/tables.yaml", "defaults:\n  timestamp_column: dms_ts\ntables:\n"
                + t.yaml("public.orders", "csv_null_value: \"NULL\""));
        Path empty = t.folder().resolve("2024/06/01/20240601-120000000.csv");
        Files.createDirectories(empty.getParent());
        Files.write(empty, new byte[0]);
        convert(); // nothing but an empty file yet: no table, no error
        Object[] order = row(1L, "x", new BigDecimal("1.25").setScale(10), ts("2024-05-01T10:00:00"));
        t.csv("2024/06/01/20240601-120100000.csv", true, true, "NULL", false, List.of(insert(order)));
        t.happened(insert(order));
        convert();
        try (Warehouse w = fx.warehouse()) {
            assertEquals(t.expected(), TestTables.rows(w.load("lakehouse.orders")));
        }
    }

    /** A timestamp with an offset, as PostgreSQL prints timestamptz into DMS's CSV, is read as its UTC time. */
    @Test
    void csv_timestamps_with_an_offset_are_read_as_utc() {
        java.time.LocalDateTime noon = java.time.LocalDateTime.of(2024, 6, 1, 12, 0);
        assertEquals(noon, RawReader.timestamp("2024-06-01 14:00:00+02"));
        assertEquals(noon, RawReader.timestamp("2024-06-01 14:00:00+02:00"));
        assertEquals(noon.plusNanos(123_456_000), RawReader.timestamp("2024-06-01 06:30:00.123456-0530"));
        assertEquals(noon, RawReader.timestamp("2024-06-01T12:00:00Z"));
        assertEquals(noon, RawReader.timestamp("2024-06-01 12:00:00"));
    }

    static Binary bin(String s) {
        return Binary.fromString(s);
    }

    List<String> blobs() throws Exception {
        List<String> out = new ArrayList<>();
        try (Warehouse w = fx.warehouse(); CloseableIterable<Record> rows = IcebergGenerics.read(w.load("lakehouse.blobs")).build()) {
            for (Record r : rows) {
                ByteBuffer b = ((ByteBuffer) r.get(1)).duplicate();
                byte[] a = new byte[b.remaining()];
                b.get(a);
                out.add(r.get(0) + "=" + new String(a, StandardCharsets.UTF_8));
            }
        }
        out.sort(null);
        return out;
    }
}
