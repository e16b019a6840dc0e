package dev.lakehouse.dms;

import static dev.lakehouse.dms.DmsTestEnv.error;
import static dev.lakehouse.dms.DmsTestEnv.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.convert.ConvertState;
import dev.lakehouse.env.EnvironmentLoader;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.fakes.DmsFake;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * dms lag: CDC latency from CloudWatch (moto) under the dimensions DMS publishes (instance
 * identifier and task resource id, which the fake makes differ from the names), the --max check
 * (exit 3), and the end-to-end freshness of the Iceberg tables a task feeds (Glue + S3 on moto).
 */
@ExtendWith(MotoServer.class)
class DmsLagTest {
    @RegisterExtension
    static DmsFake dms = new DmsFake();

    @TempDir
    Path dir;
    DmsFake.Task orders;
    DmsTestEnv env;
    Map<String, String> dims;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer.reset();
        orders = dms.task("lh-dev-orders", "full-load-and-cdc");
        orders.running();
        env = new DmsTestEnv(dir).fake(dms).task("orders", orders.arn);
        dims = dims("lh-dms", orders.arn.substring(orders.arn.lastIndexOf(':') + 1));
    }

    /**
     * The dimensions of a classic task's metrics, in the order the CLI asks for them: moto 5.2.5 matches
     * dimensions only in the order they were put (its Dimension.__lt__ compares a value with a name),
     * where CloudWatch ignores the order.
     */
    static Map<String, String> dims(String instance, String task) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("ReplicationInstanceIdentifier", instance);
        d.put("ReplicationTaskIdentifier", task);
        return d;
    }

    @Test
    void latency_is_read_by_instance_identifier_and_task_resource_id_and_max_exits_3() {
        Instant now = Instant.now();
        try (CloudWatchClient cw = DmsTestEnv.motoCloudWatch()) {
            DmsTestEnv.putLatency(cw, "CDCLatencySource", dims, 12, now.minusSeconds(600));
            DmsTestEnv.putLatency(cw, "CDCLatencySource", dims, 4, now.minusSeconds(60));
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", dims, 95, now.minusSeconds(600));
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", dims, 75, now.minusSeconds(60));
            // the task's name is not its dimension; another task's metric and ours outside the window do not count
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", dims("lh-dms", "lh-dev-orders"), 5000, now.minusSeconds(30));
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", dims("lh-dms", "OTHERTASK"), 6000, now.minusSeconds(30));
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", dims, 7000, now.minusSeconds(3 * 3600));
        }
        var r = env.run("dms", "lag", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode row = json(r.out()).get(0);
        assertEquals(4, row.get("source_latency_seconds").asInt(), row.toString());
        assertEquals(75, row.get("target_latency_seconds").asInt());
        assertEquals(12, row.get("max_source_latency_seconds").asInt());
        assertEquals(95, row.get("max_target_latency_seconds").asInt());
        assertEquals(dims.get("ReplicationTaskIdentifier"), row.get("dimensions").get("ReplicationTaskIdentifier").asText());
        assertTrue(row.get("source_latency_seconds").isNumber(), "numbers stay numbers in JSON");

        var above = env.run("dms", "lag", "--max", "60s");
        assertEquals(3, above.exitCode(), above.toString());
        assertTrue(error(above).contains("DMS task orders CDC latency is 75s, above --max 1m (source 4s, target 75s"),
                above.err());
        assertTrue(above.out().contains("orders"), "the table is printed before the check fails: " + above.out());

        var below = env.run("dms", "lag", "--max", "2m");
        assertEquals(0, below.exitCode(), below.toString());

        orders.status = "stopped";
        var stopped = env.run("dms", "lag", "--max", "2m");
        assertEquals(3, stopped.exitCode(), stopped.toString());
        assertTrue(error(stopped).contains("DMS task orders is stopped: no changes are being replicated"), stopped.err());
    }

    /**
     * A task that stopped reporting (running, but its newest points 14 minutes old) is not healthy:
     * its last latency says nothing of now. --max passed it.
     */
    @Test
    void latency_points_too_old_fail_the_check() {
        Instant now = Instant.now();
        try (CloudWatchClient cw = DmsTestEnv.motoCloudWatch()) {
            DmsTestEnv.putLatency(cw, "CDCLatencySource", dims, 1, now.minusSeconds(14 * 60));
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", dims, 2, now.minusSeconds(14 * 60));
        }
        var shown = env.run("dms", "lag");
        assertEquals(0, shown.exitCode(), shown.toString());
        assertTrue(shown.out().contains("the newest latency is from"), shown.out());
        var check = env.run("dms", "lag", "--max", "60s");
        assertEquals(3, check.exitCode(), check.toString());
        assertTrue(error(check).contains("DMS task orders has reported no CDC latency since"), check.err());
    }

    @Test
    void no_data_is_shown_and_fails_the_check() {
        var r = env.run("dms", "lag", "--window", "5m");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("no CDC latency data in the last 5m"), r.out());
        var check = env.run("dms", "lag", "--max", "1m");
        assertEquals(3, check.exitCode(), check.toString());
        assertTrue(error(check).contains("DMS task orders has no CDC latency data in CloudWatch for the last 15m"), check.err());
    }

    @Test
    void full_load_tasks_are_listed_without_latency_and_never_fail_the_check() {
        DmsFake.Task load = dms.task("lh-dev-load", "full-load");
        env.tasks.clear();
        env.task("load", load.arn);
        var r = env.run("dms", "lag", "--max", "1m", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("full-load task: no CDC", json(r.out()).get(0).get("note").asText());
    }

    @Test
    void serverless_latency_is_found_by_the_replication_config() {
        DmsFake.Config main = dms.serverless("lh-dev-main", "cdc");
        main.running();
        env.tasks.clear();
        env.replication("main", main.arn);
        Instant now = Instant.now();
        try (CloudWatchClient cw = DmsTestEnv.motoCloudWatch()) {
            Map<String, String> serverless = Map.of("ReplicationConfigIdentifier", "lh-dev-main");
            DmsTestEnv.putLatency(cw, "CDCLatencySource", serverless, 3, now.minusSeconds(60));
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", serverless, 8, now.minusSeconds(60));
            DmsTestEnv.putLatency(cw, "CDCLatencyTarget", Map.of("ReplicationConfigIdentifier", "lh-dev-other"), 900,
                    now.minusSeconds(60));
        }
        var r = env.run("dms", "lag", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode row = json(r.out()).get(0);
        assertEquals(3, row.get("source_latency_seconds").asInt(), row.toString());
        assertEquals(8, row.get("target_latency_seconds").asInt());
        assertEquals("lh-dev-main", row.get("dimensions").get("ReplicationConfigIdentifier").asText());
    }

    @Test
    void freshness_of_the_iceberg_tables_the_task_feeds() throws Exception {
        LakehouseFixture.aws(dir); // buckets and the Glue database on moto
        orders.tableMappings = "{\"rules\":[{\"rule-type\":\"selection\",\"rule-id\":\"1\",\"rule-name\":\"1\","
                + "\"object-locator\":{\"schema-name\":\"public\",\"table-name\":\"%\"},\"rule-action\":\"include\"},"
                + "{\"rule-type\":\"selection\",\"rule-id\":\"2\",\"rule-name\":\"2\",\"object-locator\":{\"schema-name\":"
                + "\"public\",\"table-name\":\"tmp_%\"},\"rule-action\":\"exclude\"}]}";
        env.write("  warehouse: s3://" + LakehouseFixture.WAREHOUSE_BUCKET + "/iceberg\n  raw_zone: s3://"
                + LakehouseFixture.RAW_BUCKET + "/dms\n");
        env.home.file("environments/dev/tables.yaml", """
                defaults:
                  timestamp_column: dms_commit_ts
                tables:
                  public.orders: {key: [id]}
                  public.customers: {key: [id]}
                  public.tmp_import: {key: [id]}
                  audit.events: {key: [id]}
                """);
        Instant newest = Instant.now().minusSeconds(90);
        var environment = new EnvironmentLoader(env.cli().system()).load(new EnvironmentLoader.Request("dev", null, null, null));
        try (Warehouse w = Warehouse.open(environment)) {
            Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
            var table = w.catalog().createTable(w.identifier("orders"), schema);
            var append = table.newAppend();
            new ConvertState("public/orders", 0, ConvertState.digest(List.of()), null, newest).writeTo(append);
            append.commit();
            w.catalog().createTable(w.identifier("customers"), schema); // created, never converted
        }
        var r = env.run("dms", "lag", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode row = json(r.out()).get(0);
        assertEquals("lakehouse.orders", row.get("stalest_table").asText(), row.toString());
        long age = row.get("freshness_seconds").asLong();
        assertTrue(age >= 90 && age < 150, "freshness " + age);
        JsonNode tables = row.get("tables");
        assertEquals(2, tables.size(), "public.% without tmp_% and without audit: " + tables);
        assertEquals("lakehouse.orders", tables.get(0).get("table").asText());
        assertEquals(newest.toString(), tables.get(0).get("newest_commit").asText());
        assertEquals("lakehouse.customers", tables.get(1).get("table").asText());
        assertTrue(tables.get(1).get("freshness_seconds").isNull());
        assertEquals("convert has applied no change with a commit time yet", tables.get(1).get("problem").asText());
    }
}
