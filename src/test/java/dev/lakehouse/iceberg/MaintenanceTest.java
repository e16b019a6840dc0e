package dev.lakehouse.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** expire, orphans, tag, rollback: locally and on Glue + S3 (moto). */
@ExtendWith(MotoServer.class)
class MaintenanceTest {
    @TempDir
    Path dir;

    static Stream<String> envs() {
        return Stream.of("local", "aws");
    }

    LakehouseFixture fixture(String kind) throws Exception {
        MotoServer.reset();
        return kind.equals("local") ? LakehouseFixture.local(dir) : LakehouseFixture.aws(dir);
    }

    static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    /** 6 appends of one small file each, then a compaction: 7 snapshots. Returns the snapshot ids. */
    static List<Long> history(Warehouse w) {
        Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestTables.appendFiles(t, i * 10L, 1, 10);
            ids.add(t.currentSnapshot().snapshotId());
        }
        new Compaction(t, dev.lakehouse.output.Progress.none())
                .run(new Compaction.Options(0, org.apache.iceberg.expressions.Expressions.alwaysTrue(), 2, false, 1));
        ids.add(t.currentSnapshot().snapshotId());
        return ids;
    }

    @ParameterizedTest
    @MethodSource("envs")
    void expire_dry_run_then_refuse_without_yes_then_expire_and_read_what_is_left(String kind) throws Exception {
        var fx = fixture(kind);
        List<Long> ids;
        List<String> rowsAtTagged;
        List<String> current;
        try (Warehouse w = fx.warehouse()) {
            ids = history(w);
            Table t = w.load("orders");
            SnapshotRefs.tag(t, "keep", ids.get(2), null, false);
            rowsAtTagged = TestTables.rows(t, ids.get(2));
            current = TestTables.rows(t);
        }
        // 7 snapshots: 6 appends and a compaction; the 3rd is tagged. Expired: all but the tagged and the current.
        var dry = fx.cli().run("iceberg", "expire", "orders", "--older-than", "0s", "--retain-last", "1", "--dry-run", "-o", "json");
        assertEquals(0, dry.exitCode(), dry.toString());
        JsonNode plan = json(dry.out());
        assertEquals(5, plan.get("snapshots_expired").asInt(), dry.out());
        assertEquals(3, plan.get("data_files").asInt(), "files of appends 4-6: only expired snapshots need them: " + dry.out());
        assertEquals(0, plan.get("files_deleted").asInt());
        assertEquals(plan.get("data_files").asInt() + plan.get("manifests").asInt() + plan.get("manifest_lists").asInt()
                + plan.get("delete_files").asInt(), plan.get("files_to_delete").asInt(), "as stderr says: would delete N files");
        assertTrue(dry.err().contains("would expire 5 snapshots and delete " + plan.get("files_to_delete").asInt() + " files"), dry.err());

        var refused = fx.cli().run("iceberg", "expire", "orders", "--older-than", "0s");
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.errorLine().contains("without --yes: stdin is not a terminal"), refused.errorLine());

        var cancelled = fx.cli().interactive().stdin("n\n").run("iceberg", "expire", "orders", "--older-than", "0s");
        assertEquals(1, cancelled.exitCode(), cancelled.toString());
        assertTrue(cancelled.err().contains("Continue? [y/N]"), cancelled.err());
        try (Warehouse w = fx.warehouse()) {
            assertTrue(w.load("orders").snapshot(ids.get(0)) != null, "nothing expired after the refusals");
        }

        var r = fx.cli().run("iceberg", "expire", "orders", "--older-than", "0s", "--yes", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode done = json(r.out());
        assertEquals(5, done.get("snapshots_expired").asInt());
        assertEquals(plan.get("data_files").asInt() + plan.get("manifests").asInt() + plan.get("manifest_lists").asInt()
                + plan.get("delete_files").asInt(), done.get("files_deleted").asInt(), "deleted what the dry run listed");
        assertFalse(done.get("dry_run").asBoolean());

        var again = fx.cli().run("iceberg", "expire", "orders", "--older-than", "0s", "--yes", "-o", "json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(0, json(again.out()).get("snapshots_expired").asInt());
        assertFalse(json(again.out()).get("dry_run").asBoolean(), "nothing left to expire is not a dry run: " + again.out());
        assertTrue(again.err().contains("nothing to expire in lakehouse.orders"), again.err());

        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders");
            assertNull(t.snapshot(ids.get(0)), "expired");
            assertEquals(rowsAtTagged, TestTables.rows(t, ids.get(2)), "the tagged old snapshot still reads");
            assertEquals(current, TestTables.rows(t), "the current snapshot still reads");
            var leftover = Orphans.run(t, new Orphans.Options(Duration.ZERO, false), Instant.now().plusSeconds(5));
            assertTrue(leftover.orphans().stream().noneMatch(f -> f.location().endsWith(".parquet")),
                    "no data file left behind: " + leftover.orphans());
        }
    }

    @ParameterizedTest
    @MethodSource("envs")
    void orphans_lists_and_deletes_old_unreferenced_files_but_never_young_ones(String kind) throws Exception {
        var fx = fixture(kind);
        String oldOrphan;
        String youngOrphan;
        List<String> rows;
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
            TestTables.appendFiles(t, 0, 3, 10);
            rows = TestTables.rows(t);
            oldOrphan = t.location() + "/data/left-by-a-killed-job.parquet";
            youngOrphan = t.location() + "/data/being-written-now.parquet";
            plant(t, oldOrphan);
            if (fx.isLocal()) {
                Files.setLastModifiedTime(Path.of(oldOrphan), FileTime.from(Instant.now().minus(Duration.ofDays(10))));
            } else {
                Thread.sleep(3000); // S3 keeps upload times: make the first one older than the cutoff below
            }
            plant(t, youngOrphan);
        }
        String age = fx.isLocal() ? "3d" : "2s";
        var list = fx.cli().run("iceberg", "orphans", "orders", "--older-than", age, "-o", "json");
        assertEquals(0, list.exitCode(), list.toString());
        JsonNode found = json(list.out());
        assertEquals(1, found.get("orphan_files").asInt(), list.out());
        assertEquals(oldOrphan, found.get("orphans").get(0).get("location").asText());
        assertEquals(1, found.get("young_unreferenced_files").asInt());

        var noYes = fx.cli().run("iceberg", "orphans", "orders", "--older-than", age, "--delete");
        assertEquals(2, noYes.exitCode(), noYes.toString());

        // an age under an hour may catch a job's files before its commit: deleting needs --allow-recent
        var recent = fx.cli().run("iceberg", "orphans", "orders", "--older-than", "10m", "--delete", "--yes");
        assertEquals(2, recent.exitCode(), recent.toString());
        assertTrue(recent.errorLine().contains("--delete with --older-than 10m could delete the files of a commit in progress"),
                recent.errorLine());
        List<String> delete = new java.util.ArrayList<>(List.of("iceberg", "orphans", "orders", "--older-than", age, "--delete",
                "--yes", "-o", "json"));
        if (!fx.isLocal()) {
            delete.add("--allow-recent"); // S3 keeps upload times: the test cannot age a file by hours
        }
        var deleted = fx.cli().run(delete.toArray(String[]::new));
        assertEquals(0, deleted.exitCode(), deleted.toString());
        assertEquals(1, json(deleted.out()).get("deleted").asInt());
        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders");
            assertFalse(t.io().newInputFile(oldOrphan).exists());
            assertTrue(t.io().newInputFile(youngOrphan).exists(), "a young file is never deleted");
            assertEquals(rows, TestTables.rows(t), "the table is untouched");
        }
    }

    static void plant(Table t, String location) throws Exception {
        OutputFile out = t.io().newOutputFile(location);
        try (PositionOutputStream s = out.create()) {
            s.write("not referenced by any snapshot".getBytes());
        }
    }

    @ParameterizedTest
    @MethodSource("envs")
    void tag_then_roll_back_to_the_tag(String kind) throws Exception {
        var fx = fixture(kind);
        long tagged;
        List<String> taggedRows;
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
            TestTables.appendFiles(t, 0, 1, 10);
            TestTables.appendFiles(t, 10, 1, 10);
            tagged = t.currentSnapshot().snapshotId();
            taggedRows = TestTables.rows(t);
        }
        var tag = fx.cli().run("iceberg", "tag", "orders", "before-backfill", "--retain", "30d", "-o", "json");
        assertEquals(0, tag.exitCode(), tag.toString());
        assertEquals(tagged, json(tag.out()).get("snapshot_id").asLong());
        java.time.Instant until = java.time.Instant.parse(json(tag.out()).get("kept_until").asText());
        assertTrue(Math.abs(java.time.Duration.between(java.time.Instant.now().plus(java.time.Duration.ofDays(30)), until).toSeconds()) < 60,
                "30 days from now: " + until);
        var again = fx.cli().run("iceberg", "tag", "orders", "before-backfill");
        assertEquals(1, again.exitCode());
        assertTrue(again.errorLine().contains("the tag exists (on snapshot " + tagged + "); pass --replace"), again.errorLine());

        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(w.load("orders"), 20, 1, 10);
        }
        var dry = fx.cli().run("iceberg", "rollback", "orders", "--to", "before-backfill", "--dry-run", "-o", "json");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertFalse(json(dry.out()).get("changed").asBoolean());
        assertTrue(json(dry.out()).get("would_change").asBoolean(), "the dry run says the real run changes the table");

        var r = fx.cli().run("iceberg", "rollback", "orders", "--to", "before-backfill", "--yes", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(tagged, json(r.out()).get("to_snapshot_id").asLong());
        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders");
            assertEquals(tagged, t.currentSnapshot().snapshotId());
            assertEquals(taggedRows, TestTables.rows(t));
        }
        var history = json(fx.cli().run("iceberg", "history", "orders", "-o", "json").out());
        assertFalse(history.get(2).get("is_current_ancestor").asBoolean(), "the rolled-back snapshot is off the line");

        var bogus = fx.cli().run("iceberg", "rollback", "orders", "--to", "nope", "--yes");
        assertEquals(1, bogus.exitCode());
        assertTrue(bogus.errorLine().contains("no such snapshot id or tag (tags and branches: before-backfill, main"),
                bogus.errorLine());
    }

    @Test
    void a_table_that_does_not_own_its_files_is_not_expired() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of("gc.enabled", "false"));
            TestTables.appendFiles(t, 0, 1, 10);
            TestTables.appendFiles(t, 10, 1, 10);
        }
        var r = fx.cli().run("iceberg", "expire", "orders", "--older-than", "0s", "--yes");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("gc.enabled is false"), r.errorLine());
    }

    /**
     * --retain counts from the tagging: Iceberg counts a tag's max age from its snapshot's commit, so
     * an old snapshot tagged --retain 2s was dropped by the next expire, its files with it.
     */
    @Test
    void a_tag_keeps_an_old_snapshot_for_retain_from_now() throws Exception {
        var fx = fixture("local");
        long old;
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
            TestTables.appendFiles(t, 0, 1, 10);
            old = t.currentSnapshot().snapshotId();
            TestTables.appendFiles(t, 10, 1, 10);
        }
        Thread.sleep(2_500); // the snapshot is older than --retain when tagged
        var tag = fx.cli().run("iceberg", "tag", "orders", "keep", "--snapshot", Long.toString(old), "--retain", "2s");
        assertEquals(0, tag.exitCode(), tag.toString());
        var expire = fx.cli().run("iceberg", "expire", "orders", "--older-than", "0s", "--retain-last", "1", "--yes");
        assertEquals(0, expire.exitCode(), expire.toString());
        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("orders");
            assertEquals(old, t.refs().get("keep").snapshotId());
            assertEquals(10, TestTables.rows(t, old).size(), "the tagged snapshot's rows are still readable");
        }
        var zero = fx.cli().run("iceberg", "tag", "orders", "never", "--retain", "0s");
        assertEquals(2, zero.exitCode(), zero.toString());
        assertEquals("error: --retain: '0s' must be more than 0", zero.errorLine());
    }

    /** An age too large for a date is one usage line, not "unexpected DateTimeException". */
    @Test
    void an_age_beyond_any_date_is_a_usage_error() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 1, 3);
        }
        for (String age : List.of("99999999999999d", "999999999999999999999d", "9999999999999999999w")) {
            for (String command : List.of("expire", "orphans")) { // expire --dry-run; orphans only lists without --delete
                var r = command.equals("expire") ? fx.cli().run("iceberg", command, "orders", "--older-than", age, "--dry-run")
                        : fx.cli().run("iceberg", command, "orders", "--older-than", age);
                assertEquals(2, r.exitCode(), command + " " + age + ": " + r);
                assertEquals("error: --older-than: '" + age + "' is longer than 100000 days", r.errorLine());
            }
        }
    }

    /**
     * --timeout is read on Athena only, but a malformed one is a usage error on the local engine too:
     * a script that passed locally failed on the first AWS env.
     */
    @Test
    void a_malformed_timeout_is_a_usage_error_on_the_local_engine_too() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 1, 3);
        }
        for (List<String> command : List.of(List.of("compact", "orders", "--dry-run"),
                List.of("expire", "orders", "--older-than", "7d", "--dry-run"), List.of("convert", "--all", "--dry-run"))) {
            List<String> args = new java.util.ArrayList<>(List.of("iceberg"));
            args.addAll(command);
            args.addAll(List.of("--timeout", "5x"));
            var r = fx.cli().run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), command + ": " + r);
            assertTrue(r.errorLine().startsWith("error: --timeout: '5x'"), command + ": " + r.errorLine());
        }
    }

    /**
     * A commit that lands while a rollback waits for its confirmation is not rolled back unseen: the
     * user confirmed "now X", and Iceberg would retry the rollback on top of the new commit.
     */
    @Test
    void a_commit_during_the_confirmation_stops_the_rollback() throws Exception {
        var fx = fixture("local");
        try (Warehouse w = fx.warehouse(); Warehouse other = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
            TestTables.appendFiles(t, 0, 1, 5);
            org.apache.iceberg.Snapshot first = t.currentSnapshot();
            TestTables.appendFiles(t, 5, 1, 5);
            long confirmed = t.currentSnapshot().snapshotId();
            TestTables.appendFiles(other.load("orders"), 10, 1, 5); // lands after the prompt showed "now <confirmed>"
            var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.lakehouse.cli.LakehouseException.class,
                    () -> SnapshotRefs.rollback(t, first, false, confirmed));
            assertTrue(refused.getMessage().contains("changed while the rollback was confirmed"), refused.getMessage());
            assertEquals(15, TestTables.rows(w.load("orders")).size(), "nothing was rolled back");
            SnapshotRefs.rollback(t, first, false, t.currentSnapshot().snapshotId());
            assertEquals(5, TestTables.rows(w.load("orders")).size(), "confirmed against what is current, it rolls back");
        }
    }
}
