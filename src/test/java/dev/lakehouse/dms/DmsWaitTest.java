package dev.lakehouse.dms;

import static dev.lakehouse.dms.DmsTestEnv.error;
import static dev.lakehouse.dms.DmsTestEnv.json;
import static dev.lakehouse.testing.fakes.DmsFake.fails;
import static dev.lakehouse.testing.fakes.DmsFake.loading;
import static dev.lakehouse.testing.fakes.DmsFake.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.fakes.DmsFake;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * dms start --wait (what the AWS CLI's waiters cannot do), dms tables and dms reload, against the
 * DMS wire fake whose tasks move on one step per describe call.
 */
@ExtendWith(MotoServer.class)
class DmsWaitTest {
    @RegisterExtension
    static DmsFake dms = new DmsFake();

    @TempDir
    Path dir;

    DmsTestEnv env(DmsFake.Task... tasks) {
        DmsTestEnv env = new DmsTestEnv(dir).fake(dms);
        for (DmsFake.Task t : tasks) {
            env.task(t.identifier.replace("lh-dev-", ""), t.arn);
        }
        return env;
    }

    @Test
    void a_full_load_task_that_stops_with_full_load_only_finished_has_succeeded() {
        DmsFake.Task load = dms.task("lh-dev-load", "full-load");
        load.table("public", "orders", 1000, 0, 0, 0).table("public", "customers", 200, 0, 0, 0);
        var r = env(load).run("dms", "start", "--wait", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode row = json(r.out()).get(0);
        assertEquals("stopped", row.get("status").asText());
        assertEquals("Stop Reason FULL_LOAD_ONLY_FINISHED", row.get("stop_reason").asText());
        assertEquals(100, row.get("progress_percent").asInt());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith("load: start-replication (starting)"), r.err());
        assertEquals("load: waiting until finished with its full load (at most 30m)", lines.get(1));
        assertTrue(r.err().contains("load: running, full load 50% (1 tables loaded, 1 loading, 0 errored)"), r.err());
        assertTrue(r.err().contains("load: stopped, full load 100%"), r.err());
    }

    @Test
    void a_full_load_and_cdc_task_is_done_when_its_full_load_finished_and_cdc_runs() {
        DmsFake.Task task = dms.task("lh-dev-orders", "full-load-and-cdc");
        task.table("public", "orders", 1000, 0, 0, 0);
        var r = env(task).run("dms", "start", "--wait", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode row = json(r.out()).get(0);
        assertEquals("running", row.get("status").asText());
        assertTrue(!row.get("full_load_finished_at").isNull(), row.toString());
        assertTrue(r.err().contains("running, full load 0%"), "running alone is not enough: " + r.err());
    }

    /**
     * A throttling burst while polling (past the SDK's own three attempts) is not a failed task: the
     * wait polls again until --timeout. It exited 1, which the docs define as "the task failed".
     */
    @Test
    void throttling_while_waiting_is_polled_through() {
        DmsFake.Task load = dms.task("lh-dev-load", "full-load");
        load.table("public", "orders", 1000, 0, 0, 0);
        DmsTestEnv env = env(load);
        dms.throttle("DescribeReplicationTasks", 2, 4); // past the describe before the start and the first poll
        var r = env.run("dms", "start", "--wait", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("stopped", json(r.out()).get(0).get("status").asText());
        assertEquals(4, dms.throttled());
    }

    @Test
    void a_cdc_task_is_done_when_running() {
        DmsFake.Task task = dms.task("lh-dev-orders", "cdc");
        var r = env(task).run("dms", "start", "--wait", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("running", json(r.out()).get(0).get("status").asText());
    }

    @Test
    void a_failing_task_exits_1_with_its_own_failure_message() {
        DmsFake.Task task = dms.task("lh-dev-orders", "full-load-and-cdc");
        task.onStart(loading(10), fails("Last Error ORA-01017: invalid username/password; logon denied Task error"
                + " notification received from subtask 0"));
        var r = env(task).run("dms", "start", "--wait");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("error: DMS task orders failed: Last Error ORA-01017: invalid username/password; logon denied Task"
                + " error notification received from subtask 0 (Stop Reason FATAL_ERROR)", error(r));
        assertTrue(r.err().contains("orders: running, full load 10%"), r.err());
        assertEquals("", r.out(), "no result on stdout when the command failed");
    }

    @Test
    void a_task_stopped_by_someone_else_while_waiting_is_a_failure() {
        DmsFake.Task task = dms.task("lh-dev-orders", "full-load");
        task.onStart(loading(10), stopped("Stop Reason NORMAL"));
        var r = env(task).run("dms", "start", "--wait");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("error: DMS task orders stopped before it was finished with its full load: Stop Reason NORMAL",
                error(r));
    }

    /**
     * AWS, StartReplicationTaskType: "For a full-load task, the resume-processing option will reload any tables
     * that were partially loaded or not yet loaded during the full load phase." A full-load task that failed
     * half way was refused both by auto and by --type resume ("DMS cannot resume a full load"): the only way
     * on was reload-target, loading again the tables already done.
     */
    @Test
    void a_full_load_task_that_failed_half_way_resumes_the_tables_not_loaded() {
        DmsFake.Task load = dms.task("lh-dev-load", "full-load");
        load.table("public", "orders", 1000, 0, 0, 0).table("public", "customers", 200, 0, 0, 0);
        load.ranBefore();
        load.status = "failed";
        load.stopReason = "Stop Reason FATAL_ERROR";
        load.failure = "Last Error Connection to the source lost";
        load.progress = 50;
        load.fullLoadFinished = null;
        DmsTestEnv env = env(load);

        var auto = env.run("dms", "start", "--wait", "-o", "json");
        assertEquals(0, auto.exitCode(), auto.toString());
        assertEquals("resume-processing", json(auto.out()).get(0).get("action").asText());
        assertEquals("Stop Reason FULL_LOAD_ONLY_FINISHED", json(auto.out()).get(0).get("stop_reason").asText());

        load.status = "stopped";
        load.stopReason = "Stop Reason NORMAL";
        load.progress = 40;
        load.fullLoadFinished = null;
        var explicit = env.run("dms", "start", "--type", "resume", "--wait");
        assertEquals(0, explicit.exitCode(), explicit.toString());
        assertEquals(List.of("resume-processing", "resume-processing"), load.startTypes);
    }

    @Test
    void waiting_too_long_exits_4() {
        DmsFake.Task task = dms.task("lh-dev-orders", "full-load-and-cdc");
        task.onStart(loading(10)); // and never more
        var r = env(task).run("dms", "start", "--wait", "--timeout", "200ms");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(error(r).startsWith("error: Timed out after 200ms waiting for DMS task orders to be running with its full"
                + " load finished (it is running, full load 10%"), r.err());
    }

    @Test
    void reload_restarts_the_full_load_and_waits_for_the_new_one() {
        DmsFake.Task task = dms.task("lh-dev-orders", "full-load-and-cdc");
        task.running();
        task.table("public", "orders", 1000, 5, 5, 5);
        DmsTestEnv env = env(task);

        var refused = env.run("dms", "start", "--type", "reload", "--yes");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.errorLine().contains("Cannot reload-target DMS task orders: it is running; stop it first"),
                refused.errorLine());

        assertEquals(0, env.run("dms", "stop", "--wait").exitCode());
        var noYes = env.run("dms", "start", "--type", "reload");
        assertEquals(2, noYes.exitCode(), noYes.toString());
        assertTrue(noYes.errorLine().startsWith("error: Refusing to reload every table of DMS orders (reload-target: the"
                + " target tables are loaded again from the source) without --yes"), noYes.errorLine());
        assertEquals(List.of(), task.startTypes, "nothing was started");

        var r = env.run("dms", "start", "--type", "reload", "--yes", "--wait", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("reload-target"), task.startTypes);
        assertTrue(r.err().contains("orders: running, full load 50%"), "waited for the new full load: " + r.err());
    }

    @Test
    void reload_asks_on_a_terminal() {
        DmsFake.Task task = dms.task("lh-dev-orders", "cdc");
        task.ranBefore();
        var r = env(task).cli().interactive().stdin("n\n").run("dms", "start", "--type", "reload");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("About to reload every table of DMS orders"), r.err());
        assertEquals(List.of(), task.startTypes);
        var yes = env(task).cli().interactive().stdin("y\n").run("dms", "start", "--type", "reload");
        assertEquals(0, yes.exitCode(), yes.toString());
        assertEquals(List.of("reload-target"), task.startTypes);
    }

    @Test
    void tables_lists_per_table_statistics_of_every_task() {
        DmsFake.Task orders = dms.task("lh-dev-orders", "full-load-and-cdc");
        orders.running();
        orders.table("public", "orders", 1000, 12, 7, 1).table("public", "order_items", 3000, 30, 0, 2);
        for (int i = 0; i < 120; i++) {
            orders.table("audit", "t" + i, i, 0, 0, 0);
        }
        var r = env(orders).run("dms", "tables", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode rows = json(r.out());
        assertEquals(122, rows.size(), "every page");
        JsonNode first = rows.get(0);
        assertEquals("orders", first.get("task").asText());
        assertEquals("public", first.get("schema").asText());
        assertEquals("orders", first.get("table").asText());
        assertEquals("Table completed", first.get("state").asText());
        assertEquals(12, first.get("inserts").asLong());
        assertEquals(7, first.get("updates").asLong());
        assertEquals(1, first.get("deletes").asLong());
        assertEquals(1000, first.get("full_load_rows").asLong());
        assertEquals("Not enabled", first.get("validation_state").asText());
        assertTrue(first.get("last_update").asText().endsWith("Z"), first.toString());
    }

    @Test
    void reload_reloads_chosen_tables_of_a_running_task_with_yes() {
        DmsFake.Task orders = dms.task("lh-dev-orders", "full-load-and-cdc");
        orders.running();
        orders.table("public", "orders", 1000, 0, 0, 0).table("public", "customers", 10, 0, 0, 0);
        DmsTestEnv env = env(orders);

        var noYes = env.run("dms", "reload", "orders", "public.orders");
        assertEquals(2, noYes.exitCode(), noYes.toString());
        assertTrue(noYes.errorLine().startsWith("error: Refusing to reload public.orders of DMS task orders"), noYes.errorLine());

        var unknown = env.run("dms", "reload", "orders", "public.ordrs", "--yes");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.errorLine().contains("DMS task orders does not replicate public.ordrs (its tables: public.customers,"
                + " public.orders)"), unknown.errorLine());
        var malformed = env.run("dms", "reload", "orders", "orders", "--yes");
        assertEquals(2, malformed.exitCode(), malformed.toString());
        assertEquals(List.of(), orders.reloads);

        var r = env.run("dms", "reload", "orders", "public.orders", "--yes");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("public.orders:data-reload"), orders.reloads);
        var stats = env.run("dms", "tables", "-o", "json");
        assertEquals("Table is being reloaded", json(stats.out()).get(0).get("state").asText());

        var validate = env.run("dms", "reload", "orders", "public.customers", "--validate-only");
        assertEquals(0, validate.exitCode(), "validate-only is not destructive: no --yes needed " + validate);
        assertEquals(List.of("public.orders:data-reload", "public.customers:validate-only"), orders.reloads);

        // DMS matches names exactly: a name that differs in case is sent as DMS spells it, or nothing reloads
        var upper = env.run("dms", "reload", "orders", "PUBLIC.Orders", "--yes");
        assertEquals(0, upper.exitCode(), upper.toString());
        assertEquals("public.orders:data-reload", orders.reloads.get(orders.reloads.size() - 1));

        orders.status = "stopped";
        var notRunning = env.run("dms", "reload", "orders", "public.orders", "--yes");
        assertEquals(1, notRunning.exitCode(), notRunning.toString());
        assertTrue(notRunning.errorLine().contains("DMS reloads tables only of a running task"), notRunning.errorLine());
    }
}
