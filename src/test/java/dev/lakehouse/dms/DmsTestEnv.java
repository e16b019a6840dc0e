package dev.lakehouse.dms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.TestHome;
import dev.lakehouse.testing.fakes.DmsFake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;

/**
 * An AWS env "dev" for dms tests whose task names come from {@code overrides:} in its
 * lakehouse.yaml, and the CLI pointed at moto (STS, CloudWatch, and DMS unless a fake is given).
 */
final class DmsTestEnv {
    static final ObjectMapper JSON = new ObjectMapper();

    final TestHome home;
    final Map<String, String> tasks = new LinkedHashMap<>();
    final Map<String, String> replications = new LinkedHashMap<>();
    private final String account;
    private DmsFake fake;

    DmsTestEnv(Path dir) {
        this(dir, MotoServer.ACCOUNT);
    }

    DmsTestEnv(Path dir, String account) {
        this.home = new TestHome(dir).localEnv();
        this.account = account;
    }

    /** DMS calls go to the in-repo fake; STS and CloudWatch stay on moto. */
    DmsTestEnv fake(DmsFake fake) {
        this.fake = fake;
        return this;
    }

    DmsTestEnv task(String name, String arn) {
        tasks.put(name, arn);
        return write();
    }

    DmsTestEnv replication(String name, String arn) {
        replications.put(name, arn);
        return write();
    }

    DmsTestEnv write() {
        return write("");
    }

    DmsTestEnv write(String extraYaml) {
        StringBuilder y = new StringBuilder("overrides:\n  glue_database: lakehouse\n");
        if (!tasks.isEmpty()) {
            y.append("  dms_tasks:\n");
            tasks.forEach((k, v) -> y.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        }
        if (!replications.isEmpty()) {
            y.append("  dms_replications:\n");
            replications.forEach((k, v) -> y.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        }
        home.awsEnv("dev", account, y + extraYaml);
        return this;
    }

    CliRun cli() {
        CliRun cli = home.cli().moto().variable("LAKEHOUSE_ENV", "dev");
        if (fake != null) {
            cli.variable("AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE", fake.endpoint().toString());
        }
        return cli;
    }

    /** Runs the CLI; waits poll every 5 ms so tests take milliseconds, not minutes. */
    CliRun.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (List.of("start", "stop", "test-connection").contains(args.length > 1 ? args[1] : "")) {
            all.add("--poll-interval");
            all.add("5ms");
        }
        return cli().run(all.toArray(String[]::new));
    }

    /** The error line: stderr also carries progress and notes. */
    static String error(CliRun.Result r) {
        return r.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElse("(no error line) " + r.err());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DatabaseMigrationClient motoDms() {
        return DatabaseMigrationClient.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).build();
    }

    static CloudWatchClient motoCloudWatch() {
        return CloudWatchClient.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).build();
    }

    /** Puts one data point of a metric in AWS/DMS, as DMS would publish it. */
    static void putLatency(CloudWatchClient cw, String metric, Map<String, String> dimensions, double seconds, Instant at) {
        List<Dimension> dims = new ArrayList<>();
        dimensions.forEach((k, v) -> dims.add(Dimension.builder().name(k).value(v).build()));
        cw.putMetricData(r -> r.namespace("AWS/DMS").metricData(MetricDatum.builder().metricName(metric)
                .dimensions(dims).value(seconds).unit(StandardUnit.SECONDS).timestamp(at).build()));
    }
}
