package dev.lakehouse.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.athena.ChildCli;
import dev.lakehouse.testing.athena.FakeAthena;
import dev.lakehouse.testing.athena.FakeAthena.Outcome;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * lakehouse query --engine athena and the athena commands: the query lifecycle on moto's Athena,
 * and on an in-repo fake of the real protocol what moto lacks (failures, paging, BatchGet, throttling,
 * types, queries that keep running). Result files live in moto's S3.
 */
@ExtendWith(MotoServer.class)
class AthenaQueryTest {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    @TempDir
    Path dir;
    LakehouseFixture fx;
    FakeAthena fake;
    S3Client s3;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer.reset();
        fx = LakehouseFixture.aws(dir);
        fx.home().awsEnv("dev", MotoServer.ACCOUNT, """
                overrides:
                  warehouse: s3://lh-warehouse/iceberg
                  glue_database: lakehouse
                  athena_workgroup: lakehouse
                  athena_result_location: s3://lh-athena/results
                athena_price_per_tb: 5.0
                """);
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).forcePathStyle(true).build();
        s3.createBucket(b -> b.bucket("lh-athena"));
        fake = FakeAthena.start(s3).runningFor(2);
    }

    @AfterEach
    void tearDown() {
        fake.close();
        s3.close();
    }

    /** The CLI on env dev: Athena calls go to the fake, everything else (STS, S3) to moto. */
    CliRun cli() {
        return fx.cli().variable("AWS_ENDPOINT_URL_ATHENA", fake.endpoint().toString())
                .variable("LAKEHOUSE_ATHENA_POLL", "10ms");
    }

    static final List<String> COLUMNS = List.of("id", "name", "amount", "placed_at", "tags");
    static final List<String> TYPES = List.of("bigint", "varchar", "decimal", "timestamp", "array");

    static List<String[]> rows(int n) {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new String[] {Integer.toString(i), i % 3 == 0 ? null : i % 3 == 1 ? "" : "name " + i + ", \"quoted\"",
                "12345678901234.5" + (i % 10), "2024-06-01 12:00:00.123", "[a, b]"});
        }
        return rows;
    }

    @Test
    void rows_keep_their_types_and_null_stays_apart_from_empty_text() throws Exception {
        fake.respond("FROM orders", Outcome.rows(COLUMNS, TYPES, rows(3)));
        var r = cli().run("query", "SELECT * FROM orders", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode out = JSON.readTree(r.out());
        assertEquals(3, out.size());
        assertEquals(0, out.get(0).get("id").asLong());
        assertTrue(out.get(0).get("id").isNumber());
        assertTrue(out.get(0).get("name").isNull(), "NULL");
        assertEquals("", out.get(1).get("name").asText(), "the empty string");
        assertEquals("name 2, \"quoted\"", out.get(2).get("name").asText());
        assertEquals("12345678901234.50", out.get(0).get("amount").decimalValue().toPlainString());
        assertEquals("2024-06-01T12:00:00.123", out.get(0).get("placed_at").asText(), "as the local engine prints it");
        assertEquals("[a, b]", out.get(0).get("tags").asText());
        String id = fake.ids().get(0);
        assertTrue(r.err().contains("Athena query " + id), r.err());
        assertTrue(r.err().contains("scanned 11.8 MiB") && r.err().contains("cost $0.0000"), r.err());
        var ctx = fake.execution(id).path("QueryExecutionContext");
        assertEquals("lakehouse", ctx.path("Database").asText());
        assertEquals("lakehouse", fake.execution(id).path("WorkGroup").asText());
    }

    /**
     * "Same output on every env": Athena's text for dates and times ("2024-06-01 12:00:00.000000",
     * "... UTC") prints as the local engine prints the same values, arrays and structs too.
     */
    @Test
    void dates_times_and_arrays_print_as_on_the_local_engine() {
        fake.respond("FROM times", Outcome.rows(List.of("ts", "ts6", "whole", "tz", "d", "t", "tags", "pair"),
                List.of("timestamp", "timestamp", "timestamp", "timestamp with time zone", "date", "time", "array", "row"),
                List.<String[]>of(new String[] {"2024-06-01 12:00:00.123", "2024-06-01 12:00:00.123456", "2024-06-01 12:00:00.000000",
                    "2024-06-01 14:00:00.000 +02:00", "2024-06-01", "12:34:56.789", "[a, b]", "{x=1, y=[2, 3]}"})));
        var athena = cli().run("query", "SELECT * FROM times", "-o", "csv");
        assertEquals(0, athena.exitCode(), athena.toString());
        var local = fx.home().cli().run("query", "SELECT TIMESTAMP '2024-06-01 12:00:00.123' AS ts,"
                + " TIMESTAMP '2024-06-01 12:00:00.123456' AS ts6, TIMESTAMP '2024-06-01 12:00:00' AS whole,"
                + " TIMESTAMPTZ '2024-06-01 12:00:00+00' AS tz, DATE '2024-06-01' AS d, TIME '12:34:56.789' AS t,"
                + " ['a', 'b'] AS tags, {'x': 1, 'y': [2, 3]} AS pair", "-o", "csv");
        assertEquals(0, local.exitCode(), local.toString());
        assertEquals("ts,ts6,whole,tz,d,t,tags,pair\n2024-06-01T12:00:00.123,2024-06-01T12:00:00.123456,2024-06-01T12:00:00,"
                + "2024-06-01T12:00:00Z,2024-06-01,12:34:56.789,\"[a, b]\",\"{x=1, y=[2, 3]}\"\n", local.out());
        assertEquals(local.out(), athena.out());
    }

    /**
     * A DDL result (SHOW PARTITIONS of a table with thousands) has no header row and its result file
     * is plain text, not CSV: every source reads all its rows by API. Read as CSV, the first
     * partition became the header and was lost.
     */
    @Test
    void a_ddl_result_of_many_pages_is_read_whole_whatever_the_source() throws Exception {
        List<String[]> partitions = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            partitions.add(new String[] {"day=2020-01-01/part=" + i});
        }
        fake.respond("SHOW PARTITIONS", Outcome.rows(List.of("partition"), List.of("string"), partitions));
        for (String source : List.of("auto", "s3", "api")) {
            var r = cli().run("query", "SHOW PARTITIONS orders", "-o", "csv", "--results-from", source);
            assertEquals(0, r.exitCode(), source + ": " + r);
            List<String> lines = r.out().lines().toList();
            assertEquals(2501, lines.size(), source + ": header + 2500 partitions");
            assertEquals(List.of("partition", "day=2020-01-01/part=0", "day=2020-01-01/part=2499"),
                    List.of(lines.get(0), lines.get(1), lines.get(2500)), source);
        }
    }

    /**
     * A workgroup that encrypts results client-side (CSE_KMS) leaves ciphertext on S3: every source
     * reads the rows by API. Read from the file, the ciphertext printed as rows.
     */
    @Test
    void client_side_encrypted_results_are_read_by_api_whatever_the_source() throws Exception {
        fake.encryptResults("CSE_KMS").respond("FROM big", Outcome.rows(COLUMNS, TYPES, rows(1500)));
        String expected = null;
        for (String source : List.of("api", "auto", "s3")) {
            int before = count(fake.calls(), "GetQueryResults");
            var r = cli().run("query", "SELECT * FROM big", "-o", "csv", "--results-from", source);
            assertEquals(0, r.exitCode(), source + ": " + r);
            assertEquals(2, count(fake.calls(), "GetQueryResults") - before, source + ": both pages by API");
            assertEquals(1501, r.out().lines().count(), source + ": header + 1500 rows");
            expected = expected == null ? r.out() : expected;
            assertEquals(expected, r.out(), source);
        }
        assertTrue(expected.startsWith("id,name,amount,placed_at,tags\n0,,"), expected.substring(0, 60));
        // server-side encryption is S3's to undo: those files are read as usual
        fake.encryptResults("SSE_KMS");
        int before = count(fake.calls(), "GetQueryResults");
        var s3 = cli().run("query", "SELECT * FROM big", "-o", "csv", "--results-from", "s3");
        assertEquals(0, s3.exitCode(), s3.toString());
        assertEquals(1, count(fake.calls(), "GetQueryResults") - before, "column types only, rows from the file");
        assertEquals(expected, s3.out());
    }

    /**
     * A statement that may write passes the account guard first; a read does not need to. EXPLAIN
     * ANALYZE runs what it explains, so it is judged by that, past comments and its options.
     */
    @Test
    void statements_that_may_write_pass_the_account_guard_reads_do_not() {
        fx.home().awsEnv("other", "999999999999", """
                overrides:
                  glue_database: lakehouse
                  athena_workgroup: lakehouse
                  athena_result_location: s3://lh-athena/results
                """);
        for (String read : List.of("SELECT 1", "/* daily */ -- report\nSELECT 1", "EXPLAIN ANALYZE SELECT 1",
                "explain (format json) with x as (select 1) select * from x", "SHOW PARTITIONS orders")) {
            var r = cli().run("query", read, "--env", "other", "-o", "csv");
            assertEquals(0, r.exitCode(), read + ": " + r);
        }
        for (String write : List.of("INSERT INTO t SELECT 1", "/* fix */ DELETE FROM t WHERE id = 1",
                "EXPLAIN ANALYZE INSERT INTO t SELECT 1", "explain analyze verbose -- x\nDELETE FROM t")) {
            var r = cli().run("query", write, "--env", "other");
            assertEquals(1, r.exitCode(), write + ": " + r);
            assertTrue(r.errorLine().startsWith("error: Refusing to run an Athena statement that may change data on env other:"
                    + " the AWS credentials are for account " + MotoServer.ACCOUNT), r.errorLine());
        }
    }

    @Test
    void many_pages_by_api_from_the_result_file_or_both_give_the_same_rows() throws Exception {
        fake.respond("FROM big", Outcome.rows(COLUMNS, TYPES, rows(2500)));
        List<String> outputs = new ArrayList<>();
        for (String source : List.of("api", "s3", "auto")) {
            int before = count(fake.calls(), "GetQueryResults");
            int polls = count(fake.calls(), "GetQueryExecution");
            var r = cli().run("query", "SELECT * FROM big", "-o", "csv", "--results-from", source);
            assertEquals(0, r.exitCode(), source + ": " + r);
            assertEquals(2501, r.out().lines().count(), source + ": header + 2500 rows");
            int pages = count(fake.calls(), "GetQueryResults") - before;
            assertEquals(source.equals("api") ? 3 : 1, pages, source + " GetQueryResults calls");
            assertEquals(3, count(fake.calls(), "GetQueryExecution") - polls,
                    source + ": two polls while RUNNING, one that sees it done, none to fetch the results");
            outputs.add(r.out());
        }
        assertEquals(outputs.get(0), outputs.get(1), "api and s3 agree");
        assertEquals(outputs.get(0), outputs.get(2), "api and auto agree");
        assertTrue(outputs.get(0).contains("\n0,,12345678901234.50,"), "NULL is empty in CSV");
        assertTrue(outputs.get(0).contains("\n1,\"\",12345678901234.51,"), "the empty string is quoted in CSV");

        var limited = cli().run("query", "SELECT * FROM big", "-o", "csv", "--results-from", "api", "--max-rows", "1500");
        assertEquals(0, limited.exitCode(), limited.toString());
        assertEquals(outputs.get(0).lines().limit(1501).toList(), limited.out().lines().toList(), "the first 1500 rows");
        assertTrue(limited.err().contains("(stopped at --max-rows 1500; the query has more rows)"), limited.err());
    }

    static int count(List<String> calls, String op) {
        return (int) calls.stream().filter(op::equals).count();
    }

    @Test
    void a_failed_query_exits_1_with_athenas_reason() {
        fake.respond("FROM nope", Outcome.fails("TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.lakehouse.nope' does not exist"));
        var r = cli().run("query", "SELECT * FROM nope");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("FAILED: TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.lakehouse.nope' does not exist"),
                r.errorLine());
        // Athena bills no failed query, and no DDL statement: the 10 MB minimum is for billed queries
        var status = cli().run("athena", "status", fake.ids().get(0), "-o", "json");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("\"cost_usd\" : 0.0"), status.out());
        var ddl = cli().run("query", "SHOW TABLES");
        assertEquals(0, ddl.exitCode(), ddl.toString());
        assertTrue(ddl.err().contains("cost $0.000000 "), ddl.err());
        fake.respond("FROM tiny", new Outcome(List.of("x"), List.of("integer"), List.<String[]>of(new String[] {"1"}), null, false, 1000));
        var select = cli().run("query", "SELECT x FROM tiny");
        assertTrue(select.err().contains("scanned 1000 B") && select.err().contains("cost $0.000052 "),
                "a query is billed 10 MiB at least: " + select.err());
    }

    @Test
    void a_timeout_stops_the_query_and_exits_4() {
        fake.respond("forever", Outcome.runsForever());
        var r = cli().run("query", "SELECT * FROM forever", "--timeout", "300ms");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("after --timeout 300ms; it was stopped"), r.errorLine());
        assertTrue(fake.calls().contains("StopQueryExecution"));
        assertEquals("CANCELLED", fake.execution(fake.ids().get(0)).path("Status").path("State").asText());
    }

    /** --timeout bounds reading the rows too: a result still paging in when it runs out stops with exit 4. */
    @Test
    void the_timeout_also_stops_reading_a_large_result() {
        fake.respond("FROM big", Outcome.rows(COLUMNS, TYPES, rows(2500))).slowPages(java.time.Duration.ofMillis(700));
        var r = cli().run("query", "SELECT * FROM big", "-o", "csv", "--results-from", "api", "--timeout", "1s");
        assertEquals(4, r.exitCode(), r.toString());
        String id = fake.ids().get(0);
        assertTrue(r.errorLine().startsWith("error: Athena query " + id + " succeeded, but reading its rows took longer than"
                + " --timeout 1s; stopped after reading "), r.errorLine());
        assertTrue(r.errorLine().endsWith(" rows (all of them: lakehouse athena results " + id + ")"), r.errorLine());
        assertTrue(r.out().lines().count() < 2501, "stopped before the last page: " + r.out().lines().count() + " lines");
        assertTrue(count(fake.calls(), "GetQueryResults") < 3, fake.calls().toString());
    }

    @Test
    void no_wait_prints_the_id_and_params_reach_athena_and_throttling_is_retried() throws Exception {
        fake.throttleNext(2);
        var r = cli().run("query", "SELECT * FROM orders WHERE day = ?", "--param", "'2024-06-01'", "--no-wait");
        assertEquals(0, r.exitCode(), r.toString());
        String id = r.out().strip();
        assertEquals(fake.ids().get(0), id);
        assertEquals("'2024-06-01'", fake.execution(id).path("ExecutionParameters").get(0).asText());
        assertEquals(3, count(fake.calls(), "StartQueryExecution"), "two throttled, then accepted");
    }

    @Test
    void history_status_results_cancel_and_workgroup() throws Exception {
        fake.respond("FROM good", Outcome.rows(List.of("n"), List.of("bigint"), List.<String[]>of(new String[] {"7"})));
        fake.respond("FROM bad", Outcome.fails("SYNTAX_ERROR: oops"));
        assertEquals(0, cli().run("query", "SELECT count(*) FROM good").exitCode());
        assertEquals(1, cli().run("query", "SELECT count(*) FROM bad").exitCode());
        for (int i = 0; i < 60; i++) { // enough for two pages of history
            cli().run("query", "SELECT count(*) FROM good", "--no-wait");
        }
        var failed = cli().run("athena", "history", "--state", "FAILED", "-o", "json");
        assertEquals(0, failed.exitCode(), failed.toString());
        JsonNode rows = JSON.readTree(failed.out());
        assertEquals(1, rows.size(), failed.out());
        assertEquals("SELECT count(*) FROM bad", rows.get(0).get("query").asText());
        assertTrue(fake.calls().contains("BatchGetQueryExecution"));

        var recent = JSON.readTree(cli().run("athena", "history", "--limit", "5", "-o", "json").out());
        assertEquals(5, recent.size());
        List<String> newest = new ArrayList<>(fake.ids().subList(fake.ids().size() - 5, fake.ids().size()));
        java.util.Collections.reverse(newest);
        List<String> shown = new ArrayList<>();
        recent.forEach(q -> shown.add(q.get("query_id").asText()));
        assertEquals(newest, shown, "the five newest, newest first");

        String good = fake.ids().get(0);
        var status = JSON.readTree(cli().run("athena", "status", good, "-o", "json").out());
        assertEquals("SUCCEEDED", status.get("state").asText());
        assertEquals(12_345_678, status.get("data_scanned").asLong());
        var again = cli().run("athena", "results", good, "-o", "csv");
        assertEquals("n\n7\n", again.out());
        var notDone = cli().run("athena", "results", fake.ids().get(1), "-o", "csv");
        assertEquals(1, notDone.exitCode());
        assertTrue(notDone.errorLine().contains("FAILED: SYNTAX_ERROR: oops"), notDone.errorLine());

        fake.respond("slow", Outcome.runsForever());
        String slow = cli().run("query", "SELECT * FROM slow", "--no-wait").out().strip();
        var cancel = JSON.readTree(cli().run("athena", "cancel", slow, "-o", "json").out());
        assertEquals("CANCELLED", cancel.get("state").asText());

        var wg = JSON.readTree(cli().run("athena", "workgroup", "-o", "json").out());
        assertEquals("lakehouse", wg.get("workgroup").asText());
        assertTrue(wg.get("enforce_workgroup_configuration").asBoolean());
        assertEquals("Athena engine version 3", wg.get("engine_version").asText());
    }

    /** --state filters the workgroup's history, not only its newest 20 x --limit queries. */
    @Test
    void history_with_a_state_finds_a_match_older_than_a_page() throws Exception {
        fake.respond("FROM good", Outcome.rows(List.of("n"), List.of("bigint"), List.<String[]>of(new String[] {"7"})));
        fake.respond("FROM bad", Outcome.fails("SYNTAX_ERROR: oops"));
        assertEquals(1, cli().run("query", "SELECT count(*) FROM bad").exitCode());
        for (int i = 0; i < 60; i++) {
            cli().run("query", "SELECT count(*) FROM good", "--no-wait");
        }
        var failed = cli().run("athena", "history", "--state", "FAILED", "--limit", "1", "-o", "json");
        assertEquals(0, failed.exitCode(), failed.toString());
        JsonNode rows = JSON.readTree(failed.out());
        assertEquals(1, rows.size(), "the most recent failed query: " + failed.out());
        assertEquals("SELECT count(*) FROM bad", rows.get(0).get("query").asText());
    }

    /** The search stops after the newest 1000 queries (two API calls per 50), and says so on stderr. */
    @Test
    void history_with_a_state_searches_a_bounded_number_of_queries() throws Exception {
        fake.respond("FROM good", Outcome.rows(List.of("n"), List.of("bigint"), List.<String[]>of(new String[] {"7"})));
        fake.respond("FROM bad", Outcome.fails("SYNTAX_ERROR: oops"));
        assertEquals(0, cli().run("query", "SELECT count(*) FROM good").exitCode());
        try (AthenaClient athena = AthenaClient.builder().region(Region.US_EAST_1).endpointOverride(fake.endpoint())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test"))).build()) {
            for (int i = 0; i < 1000; i++) { // failures: the fake writes no result file for them
                athena.startQueryExecution(r -> r.queryString("SELECT count(*) FROM bad").workGroup("lakehouse"));
            }
        }
        var succeeded = cli().run("athena", "history", "--state", "SUCCEEDED", "--limit", "1", "-o", "json");
        assertEquals(0, succeeded.exitCode(), succeeded.toString());
        assertEquals(0, JSON.readTree(succeeded.out()).size(), succeeded.out());
        assertEquals("warning: looked through the workgroup's newest 1000 queries; older ones were not searched", succeeded.errorLine());
        assertEquals(20, fake.calls().stream().filter(c -> c.equals("ListQueryExecutions")).count(), "pages of 50");
    }

    @Test
    void ctrl_c_stops_the_query_before_the_cli_exits() throws Exception {
        fake.respond("forever", Outcome.runsForever());
        Process p = ChildCli.start(fx.home().root(), fake, dir.resolve("child.log"), "query", "--env", "dev", "SELECT * FROM forever");
        ChildCli.interruptWhileWaiting(p, fake);
        assertEquals(130, p.exitValue(), "the shell's exit code for SIGINT");
        assertTrue(fake.calls().contains("StopQueryExecution"), fake.calls().toString());
        assertEquals("CANCELLED", fake.execution(fake.ids().get(0)).path("Status").path("State").asText());
    }

    @Test
    void the_query_lifecycle_on_motos_athena() throws Exception {
        try (AthenaClient athena = AthenaClient.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).build()) {
            athena.createWorkGroup(w -> w.name("lakehouse").configuration(c -> c.resultConfiguration(
                    rc -> rc.outputLocation("s3://lh-athena/results/"))));
        }
        // moto does not run SQL: queue the rows it should answer the next query with
        String results = """
                {"account_id": "123456789012", "region": "us-east-1", "results": [{
                  "rows": [{"Data": [{"VarCharValue": "status"}, {"VarCharValue": "n"}]},
                           {"Data": [{"VarCharValue": "paid"}, {"VarCharValue": "3"}]},
                           {"Data": [{"VarCharValue": "shipped"}, {}]}],
                  "column_info": [{"Name": "status", "Type": "varchar", "CatalogName": "hive", "SchemaName": "", "TableName": "",
                                   "Label": "status", "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": true},
                                  {"Name": "n", "Type": "bigint", "CatalogName": "hive", "SchemaName": "", "TableName": "",
                                   "Label": "n", "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": false}]}]}
                """;
        post(MotoServer.endpoint().resolve("/moto-api/static/athena/query-results"), results);
        var r = fx.cli().variable("LAKEHOUSE_ATHENA_POLL", "10ms")
                .run("query", "SELECT status, count(*) AS n FROM orders GROUP BY 1", "--results-from", "api", "-o", "csv");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("status,n\npaid,3\nshipped,\n", r.out());
        assertTrue(r.err().contains("SUCCEEDED"), r.err());
    }

    static void post(URI uri, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, c.getResponseCode());
    }
}
