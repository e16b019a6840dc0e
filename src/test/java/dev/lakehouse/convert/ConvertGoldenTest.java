package dev.lakehouse.convert;

import static dev.lakehouse.testing.DmsTable.at;
import static dev.lakehouse.testing.DmsTable.delete;
import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.iceberg.ParquetFooters;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.DmsTable.Change;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * convert, checked row by row against an independent model: the true history applied in commit
 * order, rendered into DMS files whose names, folders and timestamps try to mislead.
 */
class ConvertGoldenTest {
    @TempDir
    Path dir;
    LakehouseFixture fx;

    /** A local env with one table public.orders (key id) in tables.yaml. */
    DmsTable orders(String seqColumn, String tableYaml) {
        fx = LakehouseFixture.local(dir);
        DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/orders"), DmsTable.ORDERS, "dms_ts", seqColumn);
        fx.home().file("environments/local/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n"
                + (seqColumn == null ? "" : "  change_sequence_column: " + seqColumn + "\n")
                + "tables:\n" + t.yaml("public.orders", tableYaml));
        return t;
    }

    static List<Object[]> rows(Object[]... rows) {
        return java.util.Arrays.asList(rows);
    }

    static BigDecimal money(String s) {
        return new BigDecimal(s).setScale(10);
    }

    static Object[] order(long id, String customer) {
        return row(id, customer, money(id + ".25"), ts("2024-05-01T10:00:00").plusMinutes(id));
    }

    CliRun.Result convert() {
        return fx.cli().run("iceberg", "convert", "--all", "-o", "json");
    }

    List<String> actual() {
        try (Warehouse w = fx.warehouse()) {
            return TestTables.rows(w.load("lakehouse.orders"));
        }
    }

    /** The compression codecs of the current snapshot's data and delete files (from their footers). */
    Set<String> codecs(String mode) throws Exception {
        Set<String> codecs = new TreeSet<>();
        int deleteFiles = 0;
        try (Warehouse w = fx.warehouse()) {
            Table table = w.load("lakehouse.orders");
            assertEquals("zstd", table.properties().get(TableProperties.PARQUET_COMPRESSION));
            try (var tasks = table.newScan().planFiles()) {
                for (var task : tasks) {
                    deleteFiles += task.deletes().size();
                    List<ContentFile<?>> files = new ArrayList<>(task.deletes());
                    files.add(task.file());
                    for (var f : files) {
                        var footer = ParquetFooters.read(table.io().newInputFile(f.location()));
                        footer.getBlocks().forEach(b -> b.getColumns().forEach(c -> codecs.add(c.getCodec().name())));
                    }
                }
            }
        }
        assertTrue(deleteFiles > 0, mode + ": the second convert wrote delete files");
        return codecs;
    }

    static JsonNode json(CliRun.Result r) throws Exception {
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void load_files_past_counter_9_then_changes_from_date_folders_even_with_earlier_commit_times() throws Exception {
        DmsTable t = orders(null, "");
        List<Object[]> loaded = new ArrayList<>();
        for (int f = 1; f <= 12; f++) {
            List<Object[]> rows = rows(order(f * 10L, "c" + f), order(f * 10L + 1, "d" + f));
            t.load(String.format("LOAD%08X.parquet", f), "2024-06-01 12:00:05.000000", rows);
            loaded.addAll(rows);
        }
        loaded.forEach(r -> t.happened(insert(r)));
        // changes made during the full load: committed before the LOAD rows were transferred, written after
        List<Change> during = List.of(
                at(update(order(30, "changed during load")), "2024-06-01 12:00:01.000000", null),
                at(delete(order(51, null)), "2024-06-01 12:00:02.000000", null),
                at(insert(order(1000, "new")), "2024-06-01 12:00:03.000000", null),
                at(update(order(110, "LOAD0000000B row changed")), "2024-06-01 12:00:04.000000", null));
        t.cdc("2024/06/01/20240601-120010000.parquet", during);
        t.happened(during);

        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(t.expected(), actual());
        try (Warehouse w = fx.warehouse()) {
            assertEquals(Converter.bulkLoads ? "duckdb" : null, w.load("lakehouse.orders").currentSnapshot().summary()
                    .get(ConvertState.PREFIX + "engine"), "the path that converted");
        }
        JsonNode result = json(r).get(0);
        assertEquals("converted", result.get("status").asText());
        assertEquals(13, result.get("files").asInt());
        assertEquals(24 + 1, result.get("inserted").asInt(), "24 loaded + 1 inserted");
        assertEquals(2, result.get("updated").asInt());
        assertEquals(1, result.get("deleted").asInt());
        assertEquals("2024-06-01T12:00:05Z", result.get("newest_commit").asText());

        var again = convert();
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals("up-to-date", json(again).get(0).get("status").asText());
        assertEquals(t.expected(), actual(), "a re-run applies nothing twice");
    }

    @Test
    void ties_duplicates_and_every_same_key_sequence_in_one_file() throws Exception {
        DmsTable t = orders(null, "");
        List<Object[]> rows = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            rows.add(order(id, "c" + id));
        }
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows);
        rows.forEach(r -> t.happened(insert(r)));
        String tie = "2024-06-01 13:00:00.000000";
        List<Change> changes = List.of(
                at(update(order(1, "v1")), tie, null),
                at(update(order(1, "v2")), tie, null),               // same key twice: the later row wins
                at(delete(order(2, "c2")), tie, null),
                at(insert(order(2, "reinserted")), tie, null),       // delete then insert
                at(insert(order(10, "short-lived")), tie, null),
                at(delete(order(10, null)), tie, null),              // insert then delete
                at(update(order(50, "updated but missing")), tie, null),  // U of a missing key inserts
                at(delete(row(60L, null, null, null)), tie, null),   // D of a missing key: nothing
                at(delete(row(3L, null, null, null)), tie, null),    // key-only delete
                at(insert(order(4, "I over an existing key")), tie, null)); // replaces, never duplicates
        t.cdc("20240601-130000000.parquet", changes);
        t.happened(changes);
        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(t.expected(), actual());
        JsonNode result = json(r).get(0);
        assertEquals(1, result.get("deleted").asInt(), "only key 3 existed among the final deletes");
    }

    @Test
    void the_change_sequence_orders_rows_when_present() throws Exception {
        DmsTable t = orders("dms_seq", "");
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows(order(1, "loaded")));
        t.happened(insert(order(1, "loaded")));
        // within a file the rows are not in sequence order; across files the later file holds the earlier change
        t.cdc("20240601-130000000.parquet", List.of(
                at(update(order(1, "third")), "2024-06-01 13:00:00.000000", "20240601130000000000000003"),
                at(update(order(1, "first")), "2024-06-01 13:00:00.000000", "20240601130000000000000001")));
        t.cdc("20240601-130100000.parquet", List.of(
                at(update(order(1, "second")), "2024-06-01 13:00:00.000000", "20240601130000000000000002")));
        t.happened(update(order(1, "first"))).happened(update(order(1, "second"))).happened(update(order(1, "third")));
        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(t.expected(), actual());
    }

    @Test
    void a_reload_replaces_the_table_and_skips_changes_it_already_contains() throws Exception {
        DmsTable t = orders(null, "");
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows(order(1, "a"), order(2, "b"), order(3, "c")));
        t.cdc("20240601-130000000.parquet", List.of(update(order(1, "a2"))));
        assertEquals(0, convert().exitCode());

        // DMS reloads the table on 2024-06-02: the LOAD series is rewritten; a change from before the reload
        // that was never converted is already in the reloaded rows; changes after the reload apply on top.
        Path load = t.load("LOAD00000001.parquet", "2024-06-02 00:00:00.000000", rows(order(7, "x"), order(8, "y")));
        Files.setLastModifiedTime(load, FileTime.from(Instant.parse("2024-06-02T00:00:00Z")));
        t.cdc("20240601-230000000.parquet", List.of(update(order(2, "superseded"))));
        t.cdc("20240602-010000000.parquet", List.of(insert(order(9, "after reload"))));
        t.reloaded(rows(order(7, "x"), order(8, "y"))).happened(insert(order(9, "after reload")));

        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(json(r).get(0).get("reload").asBoolean(), r.out());
        assertEquals(t.expected(), actual());
        assertEquals(0, convert().exitCode());
        assertEquals(t.expected(), actual(), "the re-run does not reload again");
    }

    /**
     * A reload whose new LOAD series continues the counter (the old LOAD files stay): the note says
     * LOAD files newer than what was applied mean "replace the table" — with those files, not with
     * the old ones again (which put every reloaded key in twice, the stale row next to the new one).
     */
    @Test
    void a_reload_continuing_the_load_counter_replaces_the_table_with_the_new_load_files_only() throws Exception {
        DmsTable t = orders(null, "");
        Path old = t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows(order(1, "a"), order(2, "b"), order(3, "c")));
        Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2024-06-01T12:00:00Z")));
        t.cdc("20240601-130000000.parquet", List.of(update(order(1, "a2")), delete(order(3, null))));
        assertEquals(0, convert().exitCode());

        Path load = t.load("LOAD00000002.parquet", "2024-06-02 00:00:00.000000", rows(order(1, "a3"), order(2, "b3")));
        Files.setLastModifiedTime(load, FileTime.from(Instant.parse("2024-06-02T00:00:00Z")));
        t.cdc("20240602-010000000.parquet", List.of(insert(order(9, "after reload"))));
        t.reloaded(rows(order(1, "a3"), order(2, "b3"))).happened(insert(order(9, "after reload")));

        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(json(r).get(0).get("reload").asBoolean(), r.out());
        assertEquals(t.expected(), actual(), "no stale LOAD00000001 rows (key 3 was deleted, 1 and 2 reloaded)");
    }

    /** A reload that rewrites LOAD00000001 but writes fewer files than the first full load: LOAD00000002 is the old one. */
    @Test
    void a_reload_with_fewer_load_files_does_not_bring_back_the_old_ones() throws Exception {
        DmsTable t = orders(null, "");
        for (Path p : List.of(t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows(order(1, "a"), order(2, "b"))),
                t.load("LOAD00000002.parquet", "2024-06-01 12:00:00.000000", rows(order(3, "c"))))) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2024-06-01T12:00:00Z")));
        }
        t.cdc("20240601-130000000.parquet", List.of(delete(order(3, null))));
        assertEquals(0, convert().exitCode());

        Path load = t.load("LOAD00000001.parquet", "2024-06-02 00:00:00.000000", rows(order(1, "a3"), order(2, "b3")));
        Files.setLastModifiedTime(load, FileTime.from(Instant.parse("2024-06-02T00:00:00Z")));
        t.reloaded(rows(order(1, "a3"), order(2, "b3")));
        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(t.expected(), actual(), "key 3, deleted before the reload, stays deleted");
        assertEquals(0, convert().exitCode());
        assertEquals(t.expected(), actual(), "the re-run does not reload again");
    }

    /**
     * A reload seen half-written: one convert finds the first of its LOAD files, the next finds the
     * rest. The reload is still one series (DMS writes no changes for a table while reloading it),
     * whether its names continue the counter or reuse the old ones: nothing of it is lost.
     */
    @Test
    void a_reload_continuing_the_counter_seen_half_written_is_finished_by_the_next_convert() throws Exception {
        halfWrittenReload(true);
    }

    @Test
    void a_reload_reusing_the_names_seen_half_written_is_finished_by_the_next_convert() throws Exception {
        halfWrittenReload(false);
    }

    void halfWrittenReload(boolean continued) throws Exception {
        {
            DmsTable t = orders(null, "");
            java.util.function.BiConsumer<Path, String> at = (file, time) -> {
                try {
                    Files.setLastModifiedTime(file, FileTime.from(Instant.parse(time)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            at.accept(t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows(order(1, "a"), order(2, "b"))), "2024-06-01T12:00:00Z");
            at.accept(t.load("LOAD00000002.parquet", "2024-06-01 12:00:00.000000", rows(order(3, "c"), order(4, "d"))), "2024-06-01T12:00:00Z");
            t.cdc("20240601-130000000.parquet", List.of(delete(order(4, null))));
            assertEquals(0, convert().exitCode());

            String first = continued ? "LOAD00000003.parquet" : "LOAD00000001.parquet";
            String second = continued ? "LOAD00000004.parquet" : "LOAD00000002.parquet";
            at.accept(t.load(first, "2024-06-02 00:00:00.000000", rows(order(1, "a3"), order(2, "b3"))), "2024-06-02T00:00:00Z");
            assertEquals(0, convert().exitCode(), "a convert while the reload is being written");
            at.accept(t.load(second, "2024-06-02 00:00:00.000000", rows(order(3, "c3"))), "2024-06-02T00:05:00Z");
            t.cdc("20240602-010000000.parquet", List.of(insert(order(9, "after reload"))));
            t.reloaded(rows(order(1, "a3"), order(2, "b3"), order(3, "c3"))).happened(insert(order(9, "after reload")));
            var r = convert();
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(t.expected(), actual(), (continued ? "continued" : "reused") + " names: the whole reload and the change after it");
            assertEquals(0, convert().exitCode());
            assertEquals(t.expected(), actual(), "a re-run changes nothing");
        }
    }

    @Test
    void csv_with_header_tells_null_from_empty_text_and_gzip_and_headerless_files_read() throws Exception {
        DmsTable t = orders(null, "csv_null_value: \"NULL\"");
        t.csv("LOAD00000001.csv", false, true, "NULL", false, List.of(
                insert(order(1, "")), insert(row(2L, null, money("2.25"), ts("2024-05-01T10:02:00"))),
                insert(order(3, "with, comma \"and quotes\""))));
        t.happened(insert(order(1, ""))).happened(insert(row(2L, null, money("2.25"), ts("2024-05-01T10:02:00"))))
                .happened(insert(order(3, "with, comma \"and quotes\"")));
        t.csv("20240601-130000000.csv.gz", true, true, "NULL", true, List.of(update(order(1, "now set")), delete(order(3, null))));
        t.happened(update(order(1, "now set"))).happened(delete(order(3, null)));
        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(t.expected(), actual());
        assertTrue(actual().contains("(2, null, 2.2500000000, 2024-05-01T10:02)"), actual().toString());

        // the same without headers (AddColumnName=false): the column list comes from tables.yaml
        Path other = dir.resolve("headerless");
        fx = LakehouseFixture.local(other);
        DmsTable h = new DmsTable(other.resolve(".lakehouse/raw/public/orders"), DmsTable.ORDERS, "dms_ts", null);
        fx.home().file("environments/local/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n  csv_header: false\ntables:\n"
                + h.yaml("public.orders", ""));
        h.csv("LOAD00000001.csv", false, false, null, false, List.of(insert(order(1, "x")), insert(order(2, ""))));
        h.csv("20240601-130000000.csv", true, false, null, false, List.of(update(order(2, "y"))));
        h.happened(insert(order(1, "x"))).happened(insert(row(2L, null, money("2.25"), ts("2024-05-01T10:02:00"))))
                .happened(update(order(2, "y")));
        var r2 = convert();
        assertEquals(0, r2.exitCode(), r2.toString());
        assertEquals(h.expected(), actual());
    }

    @Test
    void empty_files_extreme_values_and_non_ascii_text() throws Exception {
        DmsTable t = orders(null, "");
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", List.of());
        List<Object[]> extremes = List.of(
                row(1L, "Zoë 東京 🚀 Ünïcødé", new BigDecimal("9999999999999999999999999999.9999999999"), ts("9999-12-31T23:59:59.999999")),
                row(2L, "pre-1970", new BigDecimal("-9999999999999999999999999999.9999999999"), ts("1900-01-01T00:00:00")),
                row(3L, "just before the epoch", money("-0.0000000001"), ts("1969-12-31T23:59:59.999999")),
                row(4L, "", money("0"), ts("1970-01-01T00:00:00")));
        t.load("LOAD00000002.parquet", "2024-06-01 12:00:00.000000", extremes);
        extremes.forEach(r -> t.happened(insert(r)));
        t.cdc("20240601-130000000.parquet", List.of());
        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(t.expected(), actual());
    }

    @Test
    void a_truncated_parquet_file_is_named_and_nothing_is_committed() throws Exception {
        DmsTable t = orders(null, "");
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", rows(order(1, "a")));
        Path cdc = t.cdc("20240601-130000000.parquet", List.of(update(order(1, "b"))));
        byte[] bytes = Files.readAllBytes(cdc);
        Files.write(cdc, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        var r = convert();
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Cannot read the Parquet footer of " + cdc), r.err());
        String tableLine = r.err().lines().findFirst().orElse("");
        assertTrue(tableLine.contains(cdc.toString()), "the failing file is named first: " + r.err());
        assertEquals(1, r.err().lines().count(), "one table: its message is the one error line: " + r.err());
        try (Warehouse w = fx.warehouse()) {
            assertFalse(w.exists(w.identifier("lakehouse.orders")), "nothing was committed");
        }
    }

    @Test
    void new_columns_are_added_and_types_widened_a_bad_change_stops_only_its_table() throws Exception {
        fx = LakehouseFixture.local(dir);
        List<DmsTable.Col> v1 = List.of(new DmsTable.Col("id", "int64", "long"), new DmsTable.Col("qty", "int32", "int"));
        List<DmsTable.Col> v2 = List.of(new DmsTable.Col("id", "int64", "long"), new DmsTable.Col("qty", "int64", "long"),
                new DmsTable.Col("note", "binary (STRING)", "string"));
        Path raw = fx.home().root().resolve(".lakehouse/raw/public");
        DmsTable items = new DmsTable(raw.resolve("items"), v1, null, null);
        items.load("LOAD00000001.parquet", null, rows(row(1L, 5), row(2L, 6)));
        DmsTable items2 = new DmsTable(raw.resolve("items"), v2, null, null);
        items2.cdc("20240601-130000000.parquet", List.of(update(row(2L, 7_000_000_000L, "added later"))));
        List<DmsTable.Col> bad = List.of(new DmsTable.Col("id", "int64", "long"), new DmsTable.Col("qty", "binary (STRING)", "string"));
        DmsTable broken = new DmsTable(raw.resolve("broken"), v1, null, null);
        broken.load("LOAD00000001.parquet", null, rows(row(1L, 5)));
        Path badFile = new DmsTable(raw.resolve("broken"), bad, null, null)
                .cdc("20240601-130000000.parquet", List.of(update(row(1L, "five"))));
        fx.home().file("environments/local/tables.yaml", """
                tables:
                  public.broken:
                    key: [id]
                  public.items:
                    key: [id]
                """);
        var r = convert();
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("column 'qty' is int in the table but string in " + badFile), r.err());
        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("lakehouse.items");
            assertEquals("long", t.schema().findField("qty").type().toString());
            assertEquals(List.of("(1, 5, null)", "(2, 7000000000, added later)"), TestTables.rows(t));
            assertFalse(w.exists(w.identifier("lakehouse.broken")), "the bad table was left untouched");
        }
    }

    @Test
    void a_table_without_a_key_is_refused_unless_append_only() throws Exception {
        fx = LakehouseFixture.local(dir);
        DmsTable t = new DmsTable(fx.home().root().resolve(".lakehouse/raw/public/events"), DmsTable.ORDERS, null, null);
        t.load("LOAD00000001.parquet", null, rows(order(1, "a")));
        t.cdc("20240601-130000000.parquet", List.of(update(order(1, "b")), delete(order(1, null))));
        fx.home().file("environments/local/tables.yaml", "tables:\n  public.events:\n    table: events\n");
        var refused = convert();
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.errorLine().contains("table public.events has no primary key"), refused.errorLine());

        fx.home().file("environments/local/tables.yaml", "tables:\n  public.events:\n    write_mode: append-only\n");
        var r = convert();
        assertEquals(0, r.exitCode(), r.toString());
        try (Warehouse w = fx.warehouse()) {
            assertEquals(2, TestTables.rows(w.load("lakehouse.events")).size(), "both row images appended, the delete ignored");
        }
    }

    @Test
    void delete_files_are_written_in_the_tables_codec_like_its_data_files() throws Exception {
        for (String mode : List.of("merge-on-read", "merge-on-read-equality")) {
            dir = dir.resolve(mode);
            DmsTable t = orders(null, "write_mode: " + mode);
            t.load("LOAD00000001.parquet", null, List.of(order(1, "a"), order(2, "b"), order(3, "c")));
            assertEquals(0, convert().exitCode());
            t.cdc("20240601-130000000.parquet", List.of(update(order(2, "u")), delete(order(3, null))));
            var r = convert();
            assertEquals(0, r.exitCode(), mode + ": " + r);
            assertEquals(Set.of("ZSTD"), codecs(mode), mode + ": data and delete files in the table's codec");
        }
    }

    @Test
    void every_write_mode_gives_the_same_table() throws Exception {
        List<List<String>> results = new ArrayList<>();
        for (String mode : List.of("merge-on-read", "merge-on-read-equality", "copy-on-write")) {
            dir = dir.resolve(mode);
            DmsTable t = orders(null, "write_mode: " + mode + "\nbatch_rows: 3");
            List<Object[]> rows = new ArrayList<>();
            for (long id = 1; id <= 8; id++) {
                rows.add(order(id, "c" + id));
            }
            t.load("LOAD00000001.parquet", null, rows);
            t.cdc("20240601-130000000.parquet", List.of(update(order(2, "u")), delete(order(3, null)), insert(order(20, "n"))));
            t.cdc("20240601-130100000.parquet", List.of(update(order(2, "u2")), delete(order(20, null)), update(order(4, "u"))));
            t.cdc("20240601-130200000.parquet", List.of(insert(order(3, "back")), update(order(8, "last"))));
            rows.forEach(r -> t.happened(insert(r)));
            t.happened(update(order(2, "u"))).happened(delete(order(3, null))).happened(insert(order(20, "n")))
                    .happened(update(order(2, "u2"))).happened(delete(order(20, null))).happened(update(order(4, "u")))
                    .happened(insert(order(3, "back"))).happened(update(order(8, "last")));
            var r = convert();
            assertEquals(0, r.exitCode(), mode + ": " + r);
            assertEquals(t.expected(), actual(), mode);
            results.add(actual());
        }
        assertEquals(results.get(0), results.get(1));
        assertEquals(results.get(0), results.get(2));
    }
}
