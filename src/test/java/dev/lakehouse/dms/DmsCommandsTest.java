package dev.lakehouse.dms;

import static dev.lakehouse.dms.DmsTestEnv.error;
import static dev.lakehouse.dms.DmsTestEnv.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.fakes.DmsFake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * dms list, status, start (type choice), stop, test-connection: the real SDK client against the
 * DMS wire fake, with STS (the account guard) on moto.
 */
@ExtendWith(MotoServer.class)
class DmsCommandsTest {
    @RegisterExtension
    static DmsFake dms = new DmsFake();

    @TempDir
    Path dir;
    DmsTestEnv env;
    DmsFake.Task orders;

    @BeforeEach
    void setUp() {
        orders = dms.task("lh-dev-orders", "cdc");
        env = new DmsTestEnv(dir).fake(dms).task("orders", orders.arn);
    }

    @Test
    void list_shows_the_env_tasks_with_stable_json_fields() {
        var r = env.run("dms", "list", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode rows = json(r.out());
        assertEquals(1, rows.size());
        JsonNode row = rows.get(0);
        List<String> fields = new ArrayList<>();
        row.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("name", "kind", "status", "type", "progress_percent", "tables_loaded", "tables_loading",
                "tables_errored", "cdc_start_position", "last_failure", "arn", "identifier", "stop_reason", "tables_queued",
                "started_at", "stopped_at", "full_load_finished_at"), fields);
        assertEquals("orders", row.get("name").asText());
        assertEquals("task", row.get("kind").asText());
        assertEquals("ready", row.get("status").asText());
        assertEquals("cdc", row.get("type").asText());
        assertEquals(orders.arn, row.get("arn").asText());
        assertEquals("lh-dev-orders", row.get("identifier").asText());
        assertTrue(row.get("started_at").isNull(), row.toString());

        var table = env.run("dms", "list");
        assertEquals("NAME    KIND  STATUS  TYPE  PROGRESS PERCENT  TABLES LOADED  TABLES LOADING  TABLES ERRORED"
                + "  CDC START POSITION  LAST FAILURE", table.out().lines().findFirst().orElse(""));
        assertEquals("orders  task  ready   cdc   -                 -              -               -               -"
                + "                   -", table.out().lines().skip(1).findFirst().orElse(""));
    }

    @Test
    void status_shows_one_task_in_detail() {
        orders.ranBefore();
        var r = env.run("dms", "status", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode s = json(r.out());
        assertEquals("stopped", s.get("status").asText());
        assertEquals("Stop Reason NORMAL", s.get("stop_reason").asText());
        assertTrue(s.get("recovery_checkpoint").asText().startsWith("checkpoint:"), s.toString());
        assertEquals(orders.instance.arn(), s.get("replication_instance").asText());

        DmsFake.Task customers = dms.task("lh-dev-customers", "full-load-and-cdc");
        env.task("customers", customers.arn);
        var ambiguous = env.run("dms", "status");
        assertEquals(2, ambiguous.exitCode(), ambiguous.toString());
        assertTrue(ambiguous.errorLine().contains("has 2 DMS tasks and replications (orders, customers): name one"),
                ambiguous.errorLine());
    }

    @Test
    void start_auto_starts_a_new_task_resumes_a_stopped_one_and_leaves_a_running_one() {
        DmsFake.Task customers = dms.task("lh-dev-customers", "cdc");
        customers.ranBefore();
        DmsFake.Task items = dms.task("lh-dev-items", "cdc");
        items.running();
        env.task("customers", customers.arn).task("items", items.arn);

        var r = env.run("dms", "start", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode rows = json(r.out());
        assertEquals("start-replication", rows.get(0).get("action").asText());
        assertEquals("resume-processing", rows.get(1).get("action").asText());
        assertEquals("none: already running", rows.get(2).get("action").asText());
        assertEquals(List.of("start-replication"), orders.startTypes);
        assertEquals(List.of("resume-processing"), customers.startTypes);
        assertEquals(List.of(), items.startTypes, "a running task is left alone: safe after every terraform apply");
        assertTrue(r.err().contains("items: already running, nothing to start"), r.err());
    }

    @Test
    void dry_run_shows_the_start_types_and_starts_nothing() {
        var r = env.run("dms", "start", "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("would start-replication"), r.out());
        assertEquals(0, dms.count("StartReplicationTask"));
    }

    @Test
    void a_full_load_task_that_ran_needs_an_explicit_reload() {
        DmsFake.Task load = dms.task("lh-dev-load", "full-load");
        load.ranBefore();
        env.task("load", load.arn);
        var r = env.run("dms", "start", "load");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("its full load finished, so there is nothing to resume; pass --type reload"),
                r.errorLine());
        assertEquals(0, dms.count("StartReplicationTask"));
    }

    /**
     * AWS, StartReplicationTaskType: "start-replication is the only valid action that can be used for the
     * first time a task ... is run. Any other action used for the first time on a given task, such as
     * resume-processing and reload-target will result in data errors." The CLI sent --type reload and
     * --type resume of a task that never ran to DMS as they were.
     */
    @Test
    void a_task_that_never_ran_gets_only_start_replication() {
        var reload = env.run("dms", "start", "orders", "--type", "reload", "--yes");
        assertEquals(2, reload.exitCode(), reload.toString());
        assertTrue(reload.errorLine().contains("Cannot reload-target DMS task orders: it never ran, and DMS takes only"
                + " start-replication for a first run"), reload.errorLine());
        var resume = env.run("dms", "start", "orders", "--type", "resume");
        assertEquals(2, resume.exitCode(), resume.toString());
        assertTrue(resume.errorLine().contains("Cannot resume-processing DMS task orders: it never ran"), resume.errorLine());
        var dryRun = env.run("dms", "start", "orders", "--type", "reload", "--dry-run");
        assertEquals(2, dryRun.exitCode(), dryRun.toString());
        assertEquals(List.of(), orders.startTypes);
        assertEquals(0, dms.count("StartReplicationTask"));
    }

    @Test
    void dms_refusals_name_the_task_and_the_reason() {
        DmsFake.Task load = dms.task("lh-dev-load", "full-load-and-cdc");
        load.ranBefore();
        load.status = "stopping";
        env.task("load", load.arn);
        var r = env.run("dms", "start", "load");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("error: Cannot resume-processing DMS task load: Replication is currently stopping and cannot be"
                + " started (InvalidResourceStateFault)", r.errorLine());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void the_account_guard_refuses_before_anything_starts() {
        DmsTestEnv other = new DmsTestEnv(dir, "222222222222").fake(dms).task("orders", orders.arn);
        var r = other.run("dms", "start", "orders");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.errorLine().startsWith("error: Refusing to start DMS orders on env dev: the AWS credentials are for"
                + " account 123456789012"), r.errorLine());
        assertEquals(0, dms.count("StartReplicationTask"));
        assertEquals("ready", orders.status);
        for (String[] args : List.of(new String[] {"dms", "stop"}, new String[] {"dms", "test-connection"})) {
            orders.running();
            var refused = other.run(args);
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.errorLine().startsWith("error: Refusing to"), refused.errorLine());
        }
        assertEquals(0, dms.count("StopReplicationTask") + dms.count("TestConnection"));
        assertEquals(0, other.run("dms", "list").exitCode(), "reading needs no guard");
    }

    @Test
    void stop_waits_until_stopped_and_leaves_stopped_tasks_alone() {
        orders.running();
        var r = env.run("dms", "stop", "--wait", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("stopped", json(r.out()).get(0).get("status").asText());
        assertTrue(r.err().contains("orders: stopped, Stop Reason NORMAL"), r.err());
        var again = env.run("dms", "stop", "-o", "json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals("none: already stopped", json(again.out()).get(0).get("action").asText());
        assertEquals(1, dms.count("StopReplicationTask"));
    }

    @Test
    void test_connection_tests_both_endpoints_and_a_failure_exits_3() {
        var ok = env.run("dms", "test-connection", "-o", "json");
        assertEquals(0, ok.exitCode(), ok.toString());
        JsonNode rows = json(ok.out());
        assertEquals(2, rows.size(), rows.toString());
        assertEquals("source", rows.get(0).get("role").asText());
        assertEquals("lh-dev-orders-source", rows.get(0).get("endpoint").asText());
        assertEquals("lh-dms", rows.get(0).get("instance").asText());
        assertEquals("successful", rows.get(0).get("status").asText());
        assertEquals("target", rows.get(1).get("role").asText());

        dms.failConnectionTests(orders.source, "Test connection failed for endpoint 'lh-dev-orders-source':"
                + " FATAL: password authentication failed for user \"dms\"");
        var r = env.run("dms", "test-connection");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(error(r).contains("DMS connection test failed: orders source endpoint lh-dev-orders-source is"
                + " failed: Test connection failed for endpoint 'lh-dev-orders-source': FATAL: password authentication"
                + " failed"), r.err());
        assertTrue(r.out().contains("successful"), "the target's result is shown too: " + r.out());
    }

    /**
     * DMS refuses a test while the instance is being modified: that is an error, not an invitation to
     * print the last run's "successful" as today's answer.
     */
    @Test
    void a_refused_connection_test_is_an_error_not_the_last_result() {
        assertEquals(0, env.run("dms", "test-connection").exitCode(), "a successful result is on record");
        dms.instanceBeingModified();
        var r = env.run("dms", "test-connection", "-o", "json");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(error(r).contains("Cannot test the source endpoint of DMS task orders: Replication instance")
                && error(r).contains("is currently modifying (InvalidResourceStateFault)"), r.err());
        assertEquals("", r.out());
    }

    /**
     * A throttling burst while the tests are polled (past the SDK's own three attempts) is not a
     * failed test: test-connection polls again, as start --wait does. It exited 1.
     */
    @Test
    void throttling_while_polling_connection_tests_is_polled_through() {
        dms.throttle("DescribeConnections", 0, 4);
        var r = env.run("dms", "test-connection", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode rows = json(r.out());
        assertEquals(List.of("successful", "successful"), List.of(rows.get(0).get("status").asText(), rows.get(1).get("status").asText()));
        assertEquals(4, dms.throttled());
    }

    @Test
    void a_connection_test_that_never_ends_times_out_with_exit_4_naming_it() {
        dms.hangConnectionTests();
        var r = env.run("dms", "test-connection", "--timeout", "200ms");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(error(r).contains("Timed out after 200ms waiting for DMS connection tests: orders source,"
                + " orders target still testing"), r.err());
        assertTrue(dms.count("DescribeConnections") >= 4, "it polled meanwhile: " + dms.count("DescribeConnections"));
    }

    @Test
    void paging_reads_every_task_of_a_large_env() {
        for (int i = 0; i < 249; i++) {
            env.tasks.put("t" + i, dms.task("lh-dev-t" + i, "cdc").arn);
        }
        env.write();
        var r = env.run("dms", "list", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(250, json(r.out()).size());
        assertEquals(3, dms.count("DescribeReplicationTasks"), "100 tasks a page");
    }

    @Test
    void throttling_is_retried_by_the_sdk() {
        dms.throttle(2);
        var r = env.run("dms", "list");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(2, dms.throttled());
        assertFalse(r.err().contains("error"), r.err());
    }

    @Test
    void the_local_env_has_no_dms_and_says_so() {
        var r = env.home.cli().run("dms", "start");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().startsWith("error: env local is local and has no DMS"), r.errorLine());
        for (String cmd : List.of("list", "status", "stop", "tables", "lag", "test-connection")) {
            assertEquals(2, env.home.cli().run("dms", cmd).exitCode(), cmd);
        }
        assertEquals(2, env.home.cli().run("dms", "reload", "orders", "public.orders").exitCode());
    }

    @Test
    void unknown_names_and_bad_options_are_usage_errors() {
        var r = env.run("dms", "status", "ordrs");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("Unknown DMS task 'ordrs' in env dev (it has: orders)"), r.errorLine());
        var bad = env.run("dms", "start", "--timeout", "soon");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.errorLine().contains("--timeout: 'soon' is not a duration"), bad.errorLine());
        var arn = env.run("dms", "list", "arn:aws:s3:::bucket");
        assertEquals(2, arn.exitCode(), arn.toString());
        assertTrue(arn.errorLine().contains("is not the ARN of a DMS task"), arn.errorLine());
        env.tasks.clear();
        env.write();
        var none = env.run("dms", "list");
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.errorLine().contains("names no DMS tasks or replications"), none.errorLine());
    }

    @Test
    void a_task_deleted_behind_the_env_is_named() {
        String gone = orders.arn.replace(orders.arn.substring(orders.arn.lastIndexOf(':') + 1), "GONE");
        env.task("gone", gone);
        var r = env.run("dms", "list");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("Cannot find DMS task gone: DMS has no task " + gone), r.errorLine());
    }
}
