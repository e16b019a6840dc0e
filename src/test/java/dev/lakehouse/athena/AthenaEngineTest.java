package dev.lakehouse.athena;

import static dev.lakehouse.testing.DmsTable.insert;
import static dev.lakehouse.testing.DmsTable.row;
import static dev.lakehouse.testing.DmsTable.ts;
import static dev.lakehouse.testing.DmsTable.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.convert.ConvertState;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.DmsTable;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.TestTables;
import dev.lakehouse.testing.athena.ChildCli;
import dev.lakehouse.testing.athena.FakeAthena;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/** --engine athena for compact, expire and convert: the statements Athena receives, and what convert records. */
@ExtendWith(MotoServer.class)
class AthenaEngineTest {
    @TempDir
    Path dir;
    LakehouseFixture fx;
    FakeAthena fake;
    S3Client s3;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer.reset();
        fx = LakehouseFixture.aws(dir.resolve("home"));
        fx.home().awsEnv("dev", MotoServer.ACCOUNT, """
                overrides:
                  warehouse: s3://lh-warehouse/iceberg
                  raw_zone: s3://lh-raw/dms
                  glue_database: lakehouse
                  glue_raw_database: lakehouse_raw
                  athena_workgroup: lakehouse
                  athena_result_location: s3://lh-athena/results
                """);
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).forcePathStyle(true).build();
        s3.createBucket(b -> b.bucket("lh-athena"));
        try (GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).build()) {
            glue.createDatabase(d -> d.databaseInput(i -> i.name("lakehouse_raw")));
        }
        fake = FakeAthena.start(s3).runningFor(1);
    }

    @AfterEach
    void tearDown() {
        fake.close();
        s3.close();
    }

    CliRun cli() {
        return fx.cli().variable("AWS_ENDPOINT_URL_ATHENA", fake.endpoint().toString()).variable("LAKEHOUSE_ATHENA_POLL", "10ms");
    }

    List<String> statements() {
        return fake.ids().stream().map(id -> fake.execution(id).path("Query").asText()).toList();
    }

    @Test
    void compact_and_expire_run_optimize_and_vacuum_and_dry_runs_only_show_them() {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 2, 5);
        }
        var dry = cli().run("iceberg", "compact", "orders", "--engine", "athena", "--where", "region = 'eu'", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertEquals("OPTIMIZE \"lakehouse\".\"orders\" REWRITE DATA USING BIN_PACK WHERE region = 'eu';\n", dry.out());
        assertTrue(fake.ids().isEmpty(), "a dry run sends nothing");

        var compact = cli().run("iceberg", "compact", "orders", "--engine", "athena", "--target-size", "256MB");
        assertEquals(0, compact.exitCode(), compact.toString());
        assertEquals(List.of("ALTER TABLE `lakehouse`.`orders` SET TBLPROPERTIES ('write_target_data_file_size_bytes'='268435456')",
                "OPTIMIZE \"lakehouse\".\"orders\" REWRITE DATA USING BIN_PACK"), statements());

        var refused = cli().run("iceberg", "expire", "orders", "--engine", "athena", "--older-than", "3d");
        assertEquals(2, refused.exitCode(), refused.toString());
        var expire = cli().run("iceberg", "expire", "orders", "--engine", "athena", "--older-than", "3d", "--retain-last", "5", "--yes");
        assertEquals(0, expire.exitCode(), expire.toString());
        assertEquals("VACUUM lakehouse.orders", statements().get(statements().size() - 1));
        assertTrue(statements().get(statements().size() - 2).contains("'vacuum_max_snapshot_age_seconds'='259200'"));

        var failing = new FakeAthena.Outcome(List.of(), List.of(), List.of(), "ICEBERG_OPTIMIZE_MORE_RUNS_NEEDED: rerun", false, 0);
        fake.respond("OPTIMIZE", failing);
        var failed = cli().run("iceberg", "compact", "orders", "--engine", "athena");
        assertEquals(1, failed.exitCode(), failed.toString());
        assertTrue(failed.errorLine().contains("ICEBERG_OPTIMIZE_MORE_RUNS_NEEDED"), failed.errorLine());

        var local = fx.home().cli().run("iceberg", "compact", "orders", "--engine", "athena");
        assertEquals(2, local.exitCode(), "local env: " + local);
    }

    /** Ctrl-C during a heavy job stops its statement in Athena: OPTIMIZE would run on (and bill) after the CLI is gone. */
    @Test
    void ctrl_c_stops_the_running_statement_before_the_cli_exits() throws Exception {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 2, 5);
        }
        fake.respond("OPTIMIZE", FakeAthena.Outcome.runsForever());
        Process p = ChildCli.start(fx.home().root(), fake, dir.resolve("child.log"),
                "iceberg", "compact", "orders", "--env", "dev", "--engine", "athena");
        ChildCli.interruptWhileWaiting(p, fake);
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(130, p.exitValue(), log);
        assertTrue(fake.calls().contains("StopQueryExecution"), fake.calls().toString());
        assertEquals("CANCELLED", fake.execution(fake.ids().get(0)).path("Status").path("State").asText());
        assertTrue(log.contains("stopped Athena query " + fake.ids().get(0)), log);
    }

    @Test
    void convert_merges_exactly_the_unapplied_raw_files_and_records_them_like_the_local_engine() throws Exception {
        Path local = dir.resolve("raw");
        DmsTable t = new DmsTable(local, DmsTable.ORDERS, "dms_ts", "dms_seq");
        fx.home().file("environments/dev/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n  change_sequence_column: dms_seq\n"
                + "tables:\n" + t.yaml("public.orders", ""));
        t.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", List.<Object[]>of(row(1L, "a", BigDecimal.ONE.setScale(10), ts("2024-01-01T00:00:00"))));
        t.cdc("2024/06/01/20240601-130000000.parquet", List.of(DmsTable.at(update(row(1L, "b", BigDecimal.TEN.setScale(10),
                ts("2024-01-01T00:00:00"))), "2024-06-01 13:00:00.000000", "0001")));
        upload(local);

        var dry = cli().run("iceberg", "convert", "--all", "--engine", "athena", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertTrue(dry.out().startsWith("MERGE INTO \"lakehouse\".\"orders\" t"), dry.out());
        assertTrue(dry.out().contains("'s3://lh-raw/dms/public/orders/LOAD00000001.parquet'"), dry.out());
        assertTrue(fake.ids().isEmpty());

        var r = cli().run("iceberg", "convert", "--all", "--engine", "athena", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(1, statements().size());
        String merge = statements().get(0);
        assertTrue(merge.contains("FROM \"lakehouse_raw\".\"public__orders\" r"), merge);
        assertTrue(merge.contains("20240601-130000000.parquet"), merge);
        try (GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).build()) {
            var raw = glue.getTable(g -> g.databaseName("lakehouse_raw").name("public__orders")).table();
            assertEquals("s3://lh-raw/dms/public/orders/", raw.storageDescriptor().location());
            assertTrue(raw.storageDescriptor().columns().stream().anyMatch(c -> c.name().equals("op")), "Op is readable");
            // DMS's INT64 TIMESTAMP(MICROS): bigint in Glue (Athena reads a Hive timestamp at milliseconds), timestamp(6) in the MERGE
            assertEquals("bigint", raw.storageDescriptor().columns().stream().filter(c -> c.name().equals("placed_at"))
                    .findFirst().orElseThrow().type());
            assertTrue(merge.contains("CAST(from_unixtime_nanos(CAST(s.\"placed_at\" AS decimal(19, 0)) * 1000) AT TIME ZONE 'UTC'"
                    + " AS timestamp(6))"), merge);
        }
        try (Warehouse w = fx.warehouse()) {
            var state = ConvertState.read(w.load("lakehouse.orders"));
            assertEquals(1, state.loadFiles());
            assertTrue(state.cdcWatermark().contains("20240601-130000000"), state.toString());
        }

        var again = cli().run("iceberg", "convert", "--all", "--engine", "athena");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(1, statements().size(), "nothing new: no statement");

        // the local engine takes over where Athena stopped: only the new file is applied in-process
        t.cdc("2024/06/01/20240601-140000000.parquet", List.of(DmsTable.at(insert(row(2L, "c", BigDecimal.ONE.setScale(10),
                ts("2024-01-01T00:00:00"))), "2024-06-01 14:00:00.000000", "0002")));
        upload(local);
        var localRun = cli().run("iceberg", "convert", "--all", "-o", "csv");
        assertEquals(0, localRun.exitCode(), localRun.toString());
        assertTrue(localRun.out().contains(",converted,1,1,0,0,"), localRun.out());
        assertFalse(localRun.out().contains(",converted,3,"), "Athena's files were not applied again");
    }

    /**
     * expire's help says a table that does not own its files (gc.enabled=false, e.g. made by 'snapshot')
     * is refused; Athena's VACUUM deletes the files expired snapshots leave unreachable and orphan files
     * under the table's location, so --engine athena must refuse it too, before anything runs.
     */
    @Test
    void expire_with_athena_refuses_a_table_that_does_not_own_its_files() {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "imported", PartitionSpec.unpartitioned(), Map.of("gc.enabled", "false")), 0, 2, 5);
        }
        var local = cli().run("iceberg", "expire", "imported", "--older-than", "3d", "--yes");
        assertEquals(1, local.exitCode(), "the local engine refuses: " + local);
        var athena = cli().run("iceberg", "expire", "imported", "--engine", "athena", "--older-than", "3d", "--yes");
        assertEquals(1, athena.exitCode(), athena.toString());
        assertTrue(athena.errorLine().contains("gc.enabled"), athena.errorLine());
        assertTrue(fake.ids().isEmpty(), "no VACUUM sent: " + statements());
    }

    /**
     * Athena's VACUUM also deletes orphan files older than vacuum_max_snapshot_age_seconds (AWS's VACUUM
     * page), so --older-than is the orphan age too: under 1h it may delete the files of a commit in
     * progress, which 'iceberg orphans --delete' refuses (exit 2) for the same reason.
     */
    @Test
    void expire_with_athena_refuses_an_age_that_would_delete_the_files_of_a_commit_in_progress() {
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 2, 5);
        }
        var orphans = cli().run("iceberg", "orphans", "orders", "--older-than", "10m", "--delete", "--yes");
        assertEquals(2, orphans.exitCode(), "the local orphan removal refuses: " + orphans);
        var vacuum = cli().run("iceberg", "expire", "orders", "--engine", "athena", "--older-than", "10m", "--yes");
        assertEquals(2, vacuum.exitCode(), vacuum.toString());
        assertTrue(vacuum.errorLine().contains("--allow-recent"), vacuum.errorLine());
        assertTrue(fake.ids().isEmpty(), "no VACUUM sent: " + statements());
        var allowed = cli().run("iceberg", "expire", "orders", "--engine", "athena", "--older-than", "10m", "--allow-recent",
                "--dry-run");
        assertEquals(0, allowed.exitCode(), allowed.toString());
        assertTrue(allowed.out().contains("'vacuum_max_snapshot_age_seconds'='600'"), allowed.out());
    }

    /**
     * Changes written before the DMS add-column rule was added lack the change-sequence column: with
     * several changes to one key in them, the MERGE's row_number() has nothing to order by and keeps an
     * arbitrary one. Issue 11: a table whose raw files lack the column is refused for --engine athena.
     */
    @Test
    void convert_with_athena_refuses_pending_changes_without_the_change_sequence_column() throws Exception {
        Path local = dir.resolve("raw");
        DmsTable before = new DmsTable(local, DmsTable.ORDERS, "dms_ts", null); // before the add-column rule
        DmsTable after = new DmsTable(local, DmsTable.ORDERS, "dms_ts", "dms_seq");
        fx.home().file("environments/dev/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n  change_sequence_column: dms_seq\n"
                + "tables:\n" + after.yaml("public.orders", ""));
        before.cdc("2024/06/01/20240601-130000000.parquet", List.of(
                DmsTable.at(update(row(1L, "first", BigDecimal.ONE.setScale(10), ts("2024-01-01T00:00:00"))), "2024-06-01 13:00:00.000000", null),
                DmsTable.at(update(row(1L, "second", BigDecimal.TEN.setScale(10), ts("2024-01-01T00:00:00"))), "2024-06-01 13:00:00.000000", null)));
        after.cdc("2024/06/01/20240601-140000000.parquet", List.of(DmsTable.at(insert(row(2L, "c", BigDecimal.ONE.setScale(10),
                ts("2024-01-01T00:00:00"))), "2024-06-01 14:00:00.000000", "0002")));
        upload(local);

        var r = cli().run("iceberg", "convert", "--all", "--engine", "athena", "--dry-run");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("dms_seq") && r.err().contains("20240601-130000000"), r.err());
        assertTrue(fake.ids().isEmpty());
    }

    /**
     * The raw table reads DMS's microsecond timestamps as bigint (Athena rounds a Hive timestamp to
     * milliseconds); a column in microseconds in one pending file and milliseconds in another has
     * no one Glue type that reads both exactly, so it is refused before anything runs.
     */
    @Test
    void convert_with_athena_refuses_a_timestamp_column_in_microseconds_and_milliseconds() throws Exception {
        Path local = dir.resolve("raw");
        DmsTable micros = new DmsTable(local, DmsTable.ORDERS, "dms_ts", "dms_seq");
        List<DmsTable.Col> millisColumns = DmsTable.ORDERS.stream().map(c -> c.name().equals("placed_at")
                ? new DmsTable.Col("placed_at", "int64 (TIMESTAMP(MILLIS,false))", "timestamp") : c).toList();
        DmsTable millis = new DmsTable(local, millisColumns, "dms_ts", "dms_seq"); // ParquetTimestampInMillisecond set since
        fx.home().file("environments/dev/tables.yaml", "defaults:\n  timestamp_column: dms_ts\n  change_sequence_column: dms_seq\n"
                + "tables:\n" + micros.yaml("public.orders", ""));
        micros.load("LOAD00000001.parquet", "2024-06-01 12:00:00.000000", List.<Object[]>of(row(1L, "a", BigDecimal.ONE.setScale(10), ts("2024-01-01T00:00:00"))));
        millis.cdc("2024/06/01/20240601-130000000.parquet", List.of(DmsTable.at(insert(row(2L, "b", BigDecimal.ONE.setScale(10),
                ts("2024-01-01T00:00:00"))), "2024-06-01 13:00:00.000000", "0001")));
        upload(local);

        var r = cli().run("iceberg", "convert", "--all", "--engine", "athena", "--dry-run");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("public.orders") && r.err().contains("placed_at") && r.err().contains("--engine local"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(fake.ids().isEmpty());
    }

    void upload(Path local) throws Exception {
        try (Stream<Path> files = Files.walk(local)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String key = "dms/public/orders/" + local.relativize(f).toString().replace('\\', '/');
                try {
                    s3.headObject(h -> h.bucket(LakehouseFixture.RAW_BUCKET).key(key));
                } catch (software.amazon.awssdk.services.s3.model.S3Exception missing) {
                    s3.putObject(p -> p.bucket(LakehouseFixture.RAW_BUCKET).key(key), RequestBody.fromFile(f));
                }
            }
        }
    }
}
