package dev.lakehouse.testing;

import dev.lakehouse.env.Environment;
import dev.lakehouse.env.EnvironmentLoader;
import dev.lakehouse.iceberg.Warehouse;
import java.nio.file.Path;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A lakehouse for a test: either the local env (SQLite catalog over a temp folder) or an AWS env
 * on moto (Glue catalog over S3). Tests that must hold on both take one of each as a parameter.
 */
public final class LakehouseFixture {
    public static final String WAREHOUSE_BUCKET = "lh-warehouse";
    public static final String RAW_BUCKET = "lh-raw";
    public static final String NAMESPACE = "lakehouse";

    private final String kind;
    private final TestHome home;
    private final String envName;

    private LakehouseFixture(String kind, TestHome home, String envName) {
        this.kind = kind;
        this.home = home;
        this.envName = envName;
    }

    /** The local env in {@code dir}. */
    public static LakehouseFixture local(Path dir) {
        return new LakehouseFixture("local", new TestHome(dir).localEnv(), "local");
    }

    /** An AWS env ("dev") on moto: warehouse and raw buckets and the Glue database exist. Needs MotoServer. */
    public static LakehouseFixture aws(Path dir) {
        TestHome home = new TestHome(dir).localEnv().awsEnv("dev", MotoServer.ACCOUNT, """
                overrides:
                  warehouse: s3://%s/iceberg
                  raw_zone: s3://%s/dms
                  glue_database: %s
                """.formatted(WAREHOUSE_BUCKET, RAW_BUCKET, NAMESPACE));
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint())
                .forcePathStyle(true).build();
             GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(MotoServer.endpoint()).build()) {
            s3.createBucket(b -> b.bucket(WAREHOUSE_BUCKET));
            s3.createBucket(b -> b.bucket(RAW_BUCKET));
            glue.createDatabase(d -> d.databaseInput(i -> i.name(NAMESPACE)));
        }
        return new LakehouseFixture("aws", home, "dev");
    }

    public boolean isLocal() {
        return kind.equals("local");
    }

    public TestHome home() {
        return home;
    }

    /** The CLI on this env: {@code run("iceberg", "list")} gets {@code --env} added. */
    public CliRun cli() {
        CliRun cli = home.cli().variable("LAKEHOUSE_ENV", envName);
        return isLocal() ? cli : cli.moto();
    }

    public Environment environment() {
        return new EnvironmentLoader(cli().system()).load(new EnvironmentLoader.Request(envName, null, null, null));
    }

    public Warehouse warehouse() {
        return Warehouse.open(environment());
    }

    @Override
    public String toString() {
        return kind;
    }
}
