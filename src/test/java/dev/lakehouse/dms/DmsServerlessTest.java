package dev.lakehouse.dms;

import static dev.lakehouse.dms.DmsTestEnv.error;
import static dev.lakehouse.dms.DmsTestEnv.json;
import static dev.lakehouse.testing.fakes.DmsFake.fails;
import static dev.lakehouse.testing.fakes.DmsFake.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.fakes.DmsFake;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMS Serverless (dms_replications in the Terraform output): the same commands drive
 * StartReplication, StopReplication, DescribeReplications and DescribeReplicationTableStatistics.
 * moto has none of these; the wire fake does.
 */
@ExtendWith(MotoServer.class)
class DmsServerlessTest {
    @RegisterExtension
    static DmsFake dms = new DmsFake();

    @TempDir
    Path dir;
    DmsFake.Config main;
    DmsTestEnv env;

    @BeforeEach
    void setUp() {
        main = dms.serverless("lh-dev-main", "full-load-and-cdc");
        main.table("public", "orders", 1000, 0, 0, 0).table("public", "customers", 50, 0, 0, 0);
        env = new DmsTestEnv(dir).fake(dms).replication("main", main.arn);
    }

    @Test
    void a_replication_never_started_is_listed_from_its_config() {
        var r = env.run("dms", "list", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode row = json(r.out()).get(0);
        assertEquals("main", row.get("name").asText());
        assertEquals("serverless", row.get("kind").asText());
        assertEquals("created", row.get("status").asText());
        assertEquals("full-load-and-cdc", row.get("type").asText());
        assertEquals("lh-dev-main", row.get("identifier").asText());
    }

    /** One name for a task and a Serverless replication hid the replication from every command; now it is refused. */
    @Test
    void a_name_used_for_a_task_and_a_replication_is_refused() {
        DmsFake.Task task = dms.task("lh-dev-main-task", "cdc");
        var both = new DmsTestEnv(dir.resolve("both")).fake(dms).task("main", task.arn).replication("main", main.arn);
        var r = both.run("dms", "list");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("names 'main' both in dms_tasks and in dms_replications"), r.errorLine());
    }

    @Test
    void start_wait_status_tables_reload_stop_and_resume() {
        var start = env.run("dms", "start", "--wait", "-o", "json");
        assertEquals(0, start.exitCode(), start.toString());
        JsonNode row = json(start.out()).get(0);
        assertEquals("start-replication", row.get("action").asText());
        assertEquals("running", row.get("status").asText());
        assertTrue(start.err().contains("main: provisioning_capacity"), start.err());
        assertTrue(start.err().contains("main: running, full load 50% (1 tables loaded, 1 loading, 0 errored)"), start.err());
        assertEquals(List.of("start-replication"), main.startTypes);

        var status = env.run("dms", "status", "-o", "json");
        assertEquals(0, status.exitCode(), status.toString());
        JsonNode s = json(status.out());
        assertEquals("serverless", s.get("kind").asText());
        assertEquals("provisioned", s.get("provision_state").asText());
        assertEquals(4, s.get("capacity_units").asInt());
        assertEquals(100, s.get("progress_percent").asInt());

        var tables = env.run("dms", "tables", "main", "-o", "json");
        assertEquals(0, tables.exitCode(), tables.toString());
        assertEquals(2, json(tables.out()).size());
        assertEquals(1, dms.count("DescribeReplicationTableStatistics"));

        var reload = env.run("dms", "reload", "main", "public.customers", "--yes");
        assertEquals(0, reload.exitCode(), reload.toString());
        assertEquals(List.of("public.customers:data-reload"), main.reloads);
        assertEquals(1, dms.count("ReloadReplicationTables"));

        var stop = env.run("dms", "stop", "--wait", "-o", "json");
        assertEquals(0, stop.exitCode(), stop.toString());
        assertEquals("stopped", json(stop.out()).get(0).get("status").asText());

        var resume = env.run("dms", "start", "--wait", "-o", "json");
        assertEquals(0, resume.exitCode(), resume.toString());
        assertEquals("resume-processing", json(resume.out()).get(0).get("action").asText());
        assertEquals(List.of("start-replication", "resume-processing"), main.startTypes);
        assertTrue(dms.count("StartReplication") == 2 && dms.count("StartReplicationTask") == 0, dms.calls().toString());
    }

    /**
     * AWS, StartReplication: for full-load and full-load-and-cdc, "the only valid value for the first run of the
     * replication is start-replication". --type reload of a replication never started was sent to DMS.
     */
    @Test
    void a_replication_never_started_gets_only_start_replication() {
        var r = env.run("dms", "start", "main", "--type", "reload", "--yes");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("Cannot reload-target DMS Serverless replication main: it never ran"), r.errorLine());
        assertEquals(List.of(), main.startTypes);
        assertEquals(0, dms.count("StartReplication"));
    }

    @Test
    void a_failed_replication_reports_its_failure_messages() {
        main.onStart(status("provisioning_capacity"), fails("Failed to connect to the source database: timeout"));
        var r = env.run("dms", "start", "--wait");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("error: DMS Serverless replication main failed: Failed to connect to the source database: timeout"
                + " (Stop Reason FATAL_ERROR)", error(r));
    }

    @Test
    void a_full_load_replication_finishes_with_full_load_only_finished() {
        DmsFake.Config load = dms.serverless("lh-dev-load", "full-load");
        load.table("public", "orders", 10, 0, 0, 0);
        env.replication("load", load.arn);
        var r = env.run("dms", "start", "load", "--wait", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Stop Reason FULL_LOAD_ONLY_FINISHED", json(r.out()).get(0).get("stop_reason").asText());
    }

    @Test
    void test_connection_skips_serverless_which_tests_its_endpoints_itself() {
        var named = env.run("dms", "test-connection", "main");
        assertEquals(2, named.exitCode(), named.toString());
        assertTrue(error(named).contains("DMS Serverless tests its endpoints itself"), named.err());
        var all = env.run("dms", "test-connection");
        assertEquals(0, all.exitCode(), "nothing to test is not an error for a deploy script: " + all);
        assertTrue(all.err().contains("main: skipped"), all.err());
        assertEquals(0, dms.count("TestConnection"));

        DmsFake.Task orders = dms.task("lh-dev-orders", "cdc");
        env.task("orders", orders.arn);
        var mixed = env.run("dms", "test-connection", "-o", "json");
        assertEquals(0, mixed.exitCode(), mixed.toString());
        assertEquals(2, json(mixed.out()).size(), "the classic task's two endpoints");
    }

    @Test
    void tasks_and_replications_list_together() {
        DmsFake.Task orders = dms.task("lh-dev-orders", "cdc");
        orders.running();
        env.task("orders", orders.arn);
        var r = env.run("dms", "list", "-o", "csv");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith("orders,task,running,cdc,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("main,serverless,created,full-load-and-cdc,"), lines.get(2));
    }
}
