package dev.lakehouse.convert;

import static dev.lakehouse.testing.DmsTable.delete;
import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.TestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** convert on an AWS env: raw zone in S3, Glue catalog, S3FileIO, all on moto. */
@ExtendWith(MotoServer.class)
class ConvertOnAwsTest {
    @TempDir
    Path dir;

    static Object[] order(long id, String customer) {
        return row(id, customer, BigDecimal.valueOf(id * 100 + 25, 2).setScale(10), ts("2024-05-01T10:00:00").plusMinutes(id));
    }

    /** Uploads what DmsTable wrote locally to s3://lh-raw/dms/public/orders/ (files newer than {@code since}). */
    static void upload(Path local, long since) throws Exception {
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint())
                .forcePathStyle(true).build(); Stream<Path> files = Files.walk(local)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> f.toFile().lastModified() >= since).toList()) {
                String key = "dms/public/orders/" + local.relativize(f).toString().replace('\\', '/');
                s3.putObject(p -> p.bucket(LakehouseFixture.RAW_BUCKET).key(key), RequestBody.fromFile(f));
            }
        }
    }

    @Test
    void converts_from_s3_into_glue_and_resumes_exactly_once() throws Exception {
        MotoServer.reset();
        LakehouseFixture fx = LakehouseFixture.aws(dir.resolve("home"));
        Path local = dir.resolve("raw");
        DmsTable t = new DmsTable(local, DmsTable.ORDERS, "dms_ts", null);
        fx.home().file("environments/dev/tables.yaml", "defaults:\n  timestamp_column: dms_ts\ntables:\n" + t.yaml("public.orders", ""));
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", List.of(order(1, "a"), order(2, "b"), order(3, "c")));
        t.happened(insert(order(1, "a"))).happened(insert(order(2, "b"))).happened(insert(order(3, "c")));
        t.cdc("2024/06/01/20240601-130000000.parquet", List.of(update(order(2, "b2")), delete(row(3L, null, null, null))));
        t.happened(update(order(2, "b2"))).happened(delete(row(3L, null, null, null)));
        upload(local, 0);
        long uploaded = System.currentTimeMillis();
        Thread.sleep(20);

        var r = fx.cli().run("iceberg", "convert", "public.orders", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        var result = new ObjectMapper().readTree(r.out()).get(0);
        assertEquals(2, result.get("files").asInt());
        try (Warehouse w = fx.warehouse()) {
            assertEquals(t.expected(), TestTables.rows(w.load("lakehouse.orders")));
            assertTrue(w.load("lakehouse.orders").location().startsWith("s3://" + LakehouseFixture.WAREHOUSE_BUCKET + "/"));
        }

        t.cdc("2024/06/01/20240601-140000000.parquet", List.of(insert(order(4, "d"))));
        t.happened(insert(order(4, "d")));
        upload(local, uploaded); // DMS adds files; it does not rewrite the ones it wrote
        var again = fx.cli().run("iceberg", "convert", "--all", "-o", "json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(1, new ObjectMapper().readTree(again.out()).get(0).get("files").asInt(), "only the new file");
        try (Warehouse w = fx.warehouse()) {
            assertEquals(t.expected(), TestTables.rows(w.load("lakehouse.orders")));
        }
    }
}
