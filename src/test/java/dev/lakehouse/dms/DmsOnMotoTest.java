package dev.lakehouse.dms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.testing.MotoServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;

/**
 * What moto 5.2.5's DMS does for the CLI, measured: it answers with timestamps as ISO-8601 strings
 * ({@code "ReplicationTaskCreationDate": "2026-11-24T10:00:00.123456"}) where the JSON 1.1 protocol
 * has epoch seconds, and the AWS SDK for Java (2.40.x) refuses them ("Input timestamp string must be
 * no longer than 20 characters"); boto3 accepts both, which is why moto's own tests pass. Every DMS
 * command starts with DescribeReplicationTasks, so none can run on moto's DMS: the dms tests use
 * the in-repo wire fake for DMS (DmsFake) and moto for STS (the account guard) and CloudWatch
 * (dms lag). This test fails when moto or the SDK changes that, as a reminder to move tests back.
 */
@ExtendWith(MotoServer.class)
class DmsOnMotoTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() throws IOException {
        MotoServer.reset();
    }

    @Test
    void moto_dms_timestamps_cannot_be_read_by_the_java_sdk_so_dms_tests_use_the_fake() throws IOException {
        // Created over the wire: the SDK cannot read moto's answer to CreateReplicationInstance either.
        JsonNode instance = call("CreateReplicationInstance",
                "{\"ReplicationInstanceIdentifier\":\"lh-dev-dms\",\"ReplicationInstanceClass\":\"dms.t3.medium\"}");
        String instanceArn = instance.path("ReplicationInstance").path("ReplicationInstanceArn").asText();
        String source = call("CreateEndpoint", "{\"EndpointIdentifier\":\"src\",\"EndpointType\":\"source\","
                + "\"EngineName\":\"postgres\"}").path("Endpoint").path("EndpointArn").asText();
        String target = call("CreateEndpoint", "{\"EndpointIdentifier\":\"tgt\",\"EndpointType\":\"target\","
                + "\"EngineName\":\"s3\"}").path("Endpoint").path("EndpointArn").asText();
        JsonNode task = call("CreateReplicationTask", "{\"ReplicationTaskIdentifier\":\"lh-dev-orders\",\"MigrationType\":\"cdc\","
                + "\"ReplicationInstanceArn\":\"" + instanceArn + "\",\"SourceEndpointArn\":\"" + source + "\","
                + "\"TargetEndpointArn\":\"" + target + "\",\"TableMappings\":\"{}\"}");
        String created = task.path("ReplicationTask").path("ReplicationTaskCreationDate").asText();
        assertTrue(created.length() > 20 && created.contains("T"), "moto sends an ISO-8601 string: " + created);

        try (DatabaseMigrationClient dms = DmsTestEnv.motoDms()) {
            var refused = assertThrows(SdkClientException.class, () -> dms.describeReplicationTasks(r -> { }));
            assertTrue(refused.getMessage().contains("Unable to unmarshall response"), refused.getMessage());
        }
        String arn = task.path("ReplicationTask").path("ReplicationTaskArn").asText();
        var r = new DmsTestEnv(dir).task("orders", arn).run("dms", "list");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.errorLine().startsWith("error: AWS client error: Unable to unmarshall response"), r.errorLine());
    }

    /** One JSON 1.1 call to moto's DMS, as the SDK would send it. */
    private static JsonNode call(String operation, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) MotoServer.endpoint().resolve("/").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("X-Amz-Target", "AmazonDMSv20160101." + operation);
        c.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
        c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/dms/aws4_request,"
                + " SignedHeaders=host, Signature=0");
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(200, c.getResponseCode(), operation);
        try (var in = c.getInputStream()) {
            return DmsTestEnv.JSON.readTree(in);
        } finally {
            c.disconnect();
        }
    }
}
