package dev.lakehouse.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.PlainParquet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** snapshot and add-files over Parquet written by another tool, locally and on S3 (moto). */
@ExtendWith(MotoServer.class)
class ParquetImportTest {
    static final String V1 = "message m { required int64 id; optional binary customer (STRING); optional int32 qty; }";
    static final String V2 = "message m { required int64 id; optional binary customer (STRING); optional int64 qty; optional binary note (STRING); }";
    static final String REGIONAL = "message m { required int64 id; optional binary region (STRING); }";

    @TempDir
    Path dir;

    static Stream<String> envs() {
        return Stream.of("local", "aws");
    }

    LakehouseFixture fx;

    LakehouseFixture fixture(String kind) throws Exception {
        MotoServer.reset();
        fx = kind.equals("local") ? LakehouseFixture.local(dir.resolve("home")) : LakehouseFixture.aws(dir.resolve("home"));
        return fx;
    }

    static List<Map<String, Object>> rows(long from, long to, Object qty) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            Map<String, Object> r = new HashMap<>();
            r.put("id", id);
            r.put("customer", "c" + id);
            r.put("qty", qty instanceof Integer ? (Object) (int) id : qty instanceof Long ? (Object) id : "many");
            rows.add(r);
        }
        return rows;
    }

    /** Puts the files of a local folder where the env reads them: the folder itself, or s3://lh-raw/NAME/. */
    String publish(String name) throws IOException {
        Path folder = dir.resolve("files").resolve(name);
        if (fx.isLocal()) {
            return folder.toString();
        }
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint())
                .forcePathStyle(true).build(); Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                s3.putObject(p -> p.bucket(LakehouseFixture.RAW_BUCKET).key(name + "/" + folder.relativize(f)),
                        RequestBody.fromFile(f));
            }
        }
        return "s3://" + LakehouseFixture.RAW_BUCKET + "/" + name;
    }

    Path file(String relative) {
        return dir.resolve("files").resolve(relative);
    }

    /** The table's rows via the planned files and Iceberg's Parquet reader (with the name mapping). */
    static Set<String> read(Table table) throws IOException {
        Set<String> rows = new TreeSet<>();
        ScanTaskReader reader = new ScanTaskReader(table);
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                try (CloseableIterable<Record> records = reader.open(task)) {
                    for (Record r : records) {
                        StringBuilder b = new StringBuilder();
                        for (int i = 0; i < table.schema().columns().size(); i++) {
                            b.append(i == 0 ? "" : "|").append(r.get(i));
                        }
                        rows.add(b.toString());
                    }
                }
            }
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("envs")
    void snapshot_merges_footers_keeps_files_in_place_and_reads_by_name(String kind) throws Exception {
        fixture(kind);
        PlainParquet.write(file("orders/part-0.parquet"), V1, rows(0, 10, 1));
        PlainParquet.write(file("orders/part-1.parquet"), V2, rows(10, 15, 1L));
        Files.writeString(file("orders/_SUCCESS"), "");
        String source = publish("orders");

        var r = fx.cli().run("iceberg", "snapshot", source, "orders_snapshot", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        var out = new ObjectMapper().readTree(r.out());
        assertEquals(2, out.get("files_added").asInt());
        assertEquals(15, out.get("records_added").asInt());

        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders_snapshot");
            assertEquals("long", t.schema().findField("qty").type().toString(), "int32 and int64 merge to long");
            assertTrue(t.schema().findField("note") != null, "a column only some files have is added");
            assertEquals("false", t.properties().get(TableProperties.GC_ENABLED));
            assertTrue(t.properties().containsKey(TableProperties.DEFAULT_NAME_MAPPING));
            Set<String> paths = new TreeSet<>();
            TableFiles.forEach(t, t.currentSnapshot(), f -> paths.add(f.location()));
            assertTrue(paths.stream().allMatch(p -> p.startsWith(source)), "files were not copied: " + paths);
            Set<String> rows = read(t);
            assertEquals(15, rows.size());
            assertTrue(rows.contains("3|c3|3|null"), rows.toString());
            assertTrue(rows.contains("12|c12|12|null"), rows.toString());
        }
        if (kind.equals("local")) {
            // files without field ids: the local query engine matches them by name (the name mapping)
            var q = fx.cli().run("query", "SELECT count(*) AS n, sum(qty) AS qty, max(customer) AS last FROM orders_snapshot"
                    + " WHERE id >= 3", "-o", "csv");
            assertEquals(0, q.exitCode(), q.toString());
            assertEquals("n,qty,last\n12,102,c9\n", q.out());
        }
    }

    @ParameterizedTest
    @MethodSource("envs")
    void a_corrupt_file_is_named_and_nothing_is_created(String kind) throws Exception {
        fixture(kind);
        PlainParquet.write(file("bad/part-0.parquet"), V1, rows(0, 10, 1));
        Files.createDirectories(file("bad"));
        byte[] good = Files.readAllBytes(file("bad/part-0.parquet"));
        Files.write(file("bad/part-1.parquet"), java.util.Arrays.copyOf(good, good.length / 2));
        String source = publish("bad");
        var r = fx.cli().run("iceberg", "snapshot", source, "broken");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().contains("Cannot read the Parquet footer of " + source + "/part-1.parquet"), r.errorLine());
        assertTrue(r.errorLine().contains("nothing was committed"), r.errorLine());
        try (Warehouse w = fx.warehouse()) {
            assertFalse(w.exists(w.identifier("broken")));
        }
    }

    @Test
    void files_whose_schemas_cannot_merge_are_both_named() throws Exception {
        fixture("local");
        PlainParquet.write(file("clash/a.parquet"), V1, rows(0, 3, 1));
        PlainParquet.write(file("clash/b.parquet"), "message m { required int64 id; optional binary qty (STRING); }",
                rows(3, 6, "many"));
        var r = fx.cli().run("iceberg", "snapshot", file("clash").toString(), "clash");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("column 'qty' is int in " + file("clash/a.parquet") + " but string in "
                + file("clash/b.parquet")), r.errorLine());
        try (Warehouse w = fx.warehouse()) {
            assertFalse(w.exists(w.identifier("clash")));
        }
    }

    @ParameterizedTest
    @MethodSource("envs")
    void partitions_come_from_hive_folders_or_footer_statistics(String kind) throws Exception {
        fixture(kind);
        List<Map<String, Object>> eu = new ArrayList<>();
        List<Map<String, Object>> us = new ArrayList<>();
        for (long id = 0; id < 6; id++) {
            eu.add(Map.of("id", id, "region", "eu"));
            us.add(Map.of("id", id + 100, "region", "us"));
        }
        PlainParquet.write(file("regional/region=eu/a.parquet"), REGIONAL, eu);
        PlainParquet.write(file("regional/b-us.parquet"), REGIONAL, us);
        String source = publish("regional");
        var r = fx.cli().run("iceberg", "snapshot", source, "regional", "--partition-by", "region");
        assertEquals(0, r.exitCode(), r.toString());
        var files = fx.cli().run("iceberg", "files", "regional", "-o", "csv");
        assertTrue(files.out().contains(",region=eu,"), files.out());
        assertTrue(files.out().contains(",region=us,"), files.out());

        // a transform's own comma does not split the option: bucket(4, id) is one field
        PlainParquet.write(file("bucketed/region=eu/one.parquet"), REGIONAL, List.of(Map.of("id", 7L, "region", "eu")));
        var bucketed = fx.cli().run("iceberg", "snapshot", publish("bucketed"), "bucketed", "--partition-by", "region,bucket(4, id)");
        assertEquals(0, bucketed.exitCode(), bucketed.toString());
        var spec = fx.cli().run("iceberg", "describe", "bucketed", "-o", "json");
        assertTrue(spec.out().contains("bucket[4]"), spec.out());

        List<Map<String, Object>> mixed = new ArrayList<>(eu);
        mixed.addAll(us);
        PlainParquet.write(file("mixed/m.parquet"), REGIONAL, mixed);
        var refused = fx.cli().run("iceberg", "snapshot", publish("mixed"), "mixed", "--partition-by", "region");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.errorLine().contains("it holds several partitions (eu .. us)"), refused.errorLine());
    }

    @ParameterizedTest
    @MethodSource("envs")
    void add_files_adds_once_and_refuses_duplicates_and_mismatches(String kind) throws Exception {
        fixture(kind);
        PlainParquet.write(file("first/a.parquet"), V2, rows(0, 5, 1L));
        assertEquals(0, fx.cli().run("iceberg", "snapshot", publish("first"), "orders").exitCode());
        PlainParquet.write(file("second/b.parquet"), V1, rows(5, 9, 1));
        String second = publish("second");

        var added = fx.cli().run("iceberg", "add-files", "orders", second, "-o", "json");
        assertEquals(0, added.exitCode(), added.toString());
        assertEquals(4, new ObjectMapper().readTree(added.out()).get("records_added").asInt());

        var again = fx.cli().run("iceberg", "add-files", "orders", second);
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.errorLine().contains("the table already has it; nothing was added"), again.errorLine());

        PlainParquet.write(file("third/c.parquet"), "message m { required int64 id; optional binary qty (STRING); }",
                rows(9, 10, "many"));
        var mismatch = fx.cli().run("iceberg", "add-files", "orders", publish("third"));
        assertEquals(1, mismatch.exitCode(), mismatch.toString());
        assertTrue(mismatch.errorLine().contains("column 'qty' is string but the table has long"), mismatch.errorLine());

        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders");
            assertEquals(9, read(t).size(), "5 from the snapshot + 4 added, nothing twice");
            int snapshots = 0;
            for (var ignored : t.snapshots()) {
                snapshots++;
            }
            assertEquals(2, snapshots, "the refused add-files committed nothing");
        }

        // compaction rewrites the added file away from the current snapshot; its rows stay, so adding
        // it again (a retried job) would duplicate them
        var compact = fx.cli().run("iceberg", "compact", "orders", "--min-input-files", "2");
        assertEquals(0, compact.exitCode(), compact.toString());
        var retried = fx.cli().run("iceberg", "add-files", "orders", second);
        assertEquals(1, retried.exitCode(), retried.toString());
        assertTrue(retried.errorLine().contains("added it and its rows are still in the table (rewritten since, e.g. by compact)"),
                retried.errorLine());
        try (Warehouse w = fx.warehouse()) {
            assertEquals(9, read(w.load("orders")).size(), "nothing twice after compaction either");
        }
    }

    @Test
    void a_local_source_on_an_aws_env_is_refused() throws Exception {
        fixture("aws");
        PlainParquet.write(file("x/a.parquet"), V1, rows(0, 1, 1));
        var r = fx.cli().run("iceberg", "snapshot", file("x").toString(), "x");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("an AWS env reads s3:// locations"), r.errorLine());
    }
}
