package dev.lakehouse.iceberg;

import dev.lakehouse.env.AwsClients;
import dev.lakehouse.env.AwsSettings;
import java.util.Map;
import org.apache.iceberg.aws.AwsClientFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Iceberg's hook ({@code client.factory}) for the SDK clients its Glue catalog and S3FileIO use:
 * they come from {@link AwsClients}, so region, profile, retries and endpoint overrides are the
 * same as every other client of the env.
 */
public final class IcebergAwsClientFactory implements AwsClientFactory {
    private AwsSettings settings;
    private transient AwsClients clients;

    @Override
    public void initialize(Map<String, String> properties) {
        this.settings = AwsSettings.fromProperties(properties);
    }

    private synchronized AwsClients clients() {
        if (clients == null) {
            clients = new AwsClients(settings);
        }
        return clients;
    }

    @Override
    public S3Client s3() {
        return clients().s3();
    }

    @Override
    public S3AsyncClient s3Async() {
        throw new UnsupportedOperationException("lakehouse uses the synchronous S3 client only");
    }

    @Override
    public GlueClient glue() {
        return clients().glue();
    }

    @Override
    public KmsClient kms() {
        return clients().kms();
    }

    @Override
    public DynamoDbClient dynamo() {
        return clients().dynamo();
    }
}
