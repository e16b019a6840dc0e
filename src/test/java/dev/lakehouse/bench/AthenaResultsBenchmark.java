package dev.lakehouse.bench;

import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.athena.FakeAthena;
import dev.lakehouse.testing.athena.FakeAthena.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How a finished Athena query's rows are best fetched: GetQueryResults pages (1,000 rows a call)
 * or the result CSV from S3, by result size. Runs the real CLI against the in-repo Athena fake and
 * moto's S3 on loopback, so it measures the client-side cost and counts requests; on AWS each
 * request also costs a network round trip. Usage: AthenaResultsBenchmark [RUNS] (make bench-athena-results).
 */
public final class AthenaResultsBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        MotoServer.startStandalone();
        Path dir = Files.createTempDirectory("bench-athena-results");
        LakehouseFixture fx = LakehouseFixture.aws(dir);
        fx.home().awsEnv("dev", MotoServer.ACCOUNT, """
                overrides:
                  warehouse: s3://lh-warehouse/iceberg
                  glue_database: lakehouse
                  athena_workgroup: lakehouse
                  athena_result_location: s3://lh-athena/results
                """);
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint())
                .forcePathStyle(true).build();
             FakeAthena fake = FakeAthena.start(s3)) {
            s3.createBucket(b -> b.bucket("lh-athena"));
            CliRun cli = fx.cli().variable("AWS_ENDPOINT_URL_ATHENA", fake.endpoint().toString())
                    .variable("LAKEHOUSE_ATHENA_POLL", "1ms");
            List<String> columns = List.of("id", "name", "amount", "placed_at");
            List<String> types = List.of("bigint", "varchar", "decimal", "timestamp");
            System.out.printf(Locale.ROOT, "athena results benchmark: median of %d runs, loopback (fake Athena + moto S3)%n", runs);
            System.out.printf(Locale.ROOT, "%10s  %-5s  %9s  %10s  %12s%n", "rows", "from", "median ms", "rows/s", "requests");
            for (int n : new int[] {100, 1_000, 2_000, 10_000, 100_000}) {
                List<String[]> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rows.add(new String[] {Integer.toString(i), "customer " + i, i + ".25", "2024-06-01 12:00:00.000"});
                }
                String table = "rows_" + n + "_end"; // no name a prefix of another: the fake matches by substring
                fake.respond("FROM " + table, Outcome.rows(columns, types, rows));
                for (String source : List.of("api", "s3", "auto")) {
                    for (int w = 0; w < 3; w++) {
                        cli.run("query", "SELECT * FROM " + table, "-o", "csv", "-q", "--results-from", source); // warm-up
                    }
                    long[] ms = new long[runs];
                    int requests = 0;
                    for (int r = 0; r < runs; r++) {
                        int before = fake.calls().size();
                        long t0 = System.nanoTime();
                        var result = cli.run("query", "SELECT * FROM " + table, "-o", "csv", "-q", "--results-from", source);
                        ms[r] = (System.nanoTime() - t0) / 1_000_000;
                        if (result.exitCode() != 0 || result.out().lines().count() != n + 1) {
                            throw new IllegalStateException(source + " " + n + ": " + result);
                        }
                        // Athena calls to fetch rows (start and polls excluded), plus the S3 GET of the file
                        requests = (int) fake.calls().subList(before, fake.calls().size()).stream()
                                .filter("GetQueryResults"::equals).count() + (usesResultFile(source, n) ? 1 : 0);
                    }
                    Arrays.sort(ms);
                    long median = ms[runs / 2];
                    System.out.printf(Locale.ROOT, "%10d  %-5s  %9d  %10.0f  %12d%n", n, source, median,
                            median == 0 ? 0 : n * 1000.0 / median, requests);
                }
            }
        }
        System.exit(0);
    }

    /** s3 always reads the file; auto does when the rows (plus the header row) exceed the first page. */
    static boolean usesResultFile(String source, int rows) {
        return source.equals("s3") || (source.equals("auto") && rows + 1 > 1000);
    }
}
