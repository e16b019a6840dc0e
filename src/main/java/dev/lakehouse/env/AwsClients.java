package dev.lakehouse.env;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The one factory for AWS SDK clients of an {@link Environment}: its region, its profile (or the
 * SDK's default credential chain), adaptive retries, and the endpoint overrides from
 * AWS_ENDPOINT_URL[_SERVICE]. Clients are built on first use and closed with this object, so
 * commands that never touch AWS (help, local env) never build one.
 */
public final class AwsClients implements AutoCloseable {
    private final AwsSettings settings;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private SdkHttpClient http;
    private AwsCredentialsProvider credentials;

    public AwsClients(Environment env) {
        this(AwsSettings.of(env));
        if (env.isLocal()) {
            throw new IllegalStateException("env " + env.name() + " is local: it has no AWS clients");
        }
    }

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
    }

    public AwsSettings settings() {
        return settings;
    }

    public StsClient sts() {
        return client("sts", () -> configure(StsClient.builder(), "STS", settings.region()).build());
    }

    public GlueClient glue() {
        return client("glue", () -> configure(GlueClient.builder(), "GLUE", settings.region()).build());
    }

    public AthenaClient athena() {
        return client("athena", () -> configure(AthenaClient.builder(), "ATHENA", settings.region()).build());
    }

    public DatabaseMigrationClient dms() {
        return client("dms", () -> configure(DatabaseMigrationClient.builder(), "DATABASE_MIGRATION_SERVICE",
                settings.region()).build());
    }

    public CloudWatchClient cloudWatch() {
        return client("cloudwatch", () -> configure(CloudWatchClient.builder(), "CLOUDWATCH", settings.region()).build());
    }

    public KmsClient kms() {
        return client("kms", () -> configure(KmsClient.builder(), "KMS", settings.region()).build());
    }

    public DynamoDbClient dynamo() {
        return client("dynamodb", () -> configure(DynamoDbClient.builder(), "DYNAMODB", settings.region()).build());
    }

    public S3Client s3() {
        return s3(settings.region());
    }

    /** An S3 client for a bucket in another region (e.g. the Terraform state bucket). */
    public S3Client s3(String region) {
        return client("s3@" + region, () -> configure(S3Client.builder(), "S3", region)
                // Emulators listen on one host name: bucket.localhost would not resolve.
                .forcePathStyle(settings.endpoint("S3") != null)
                .build());
    }

    /** The credentials the clients use: the env's profile, else the SDK default chain. */
    public synchronized AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = settings.profile() != null
                    ? ProfileCredentialsProvider.builder().profileName(settings.profile()).build()
                    : DefaultCredentialsProvider.builder().build();
            if (credentials instanceof AutoCloseable c) {
                resources.add(c);
            }
        }
        return credentials;
    }

    /** Applies the env's region, credentials, retries, HTTP client and endpoint override to any client builder. */
    public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, String serviceId,
                                                                                      String region) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.ADAPTIVE_V2)
                        .build());
        builder.httpClient(httpClient());
        URI endpoint = settings.endpoint(serviceId);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    private synchronized SdkHttpClient httpClient() {
        if (http == null) {
            http = ApacheHttpClient.builder().build();
            resources.add(http);
        }
        return http;
    }

    @SuppressWarnings("unchecked")
    private synchronized <C extends SdkAutoCloseable> C client(String key, java.util.function.Supplier<C> create) {
        return (C) clients.computeIfAbsent(key, k -> create.get());
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(SdkAutoCloseable::close);
        clients.clear();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing on exit: nothing useful to do with a failure here
            }
        }
        resources.clear();
    }
}
