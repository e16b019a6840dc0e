package dev.lakehouse.env;

import static dev.lakehouse.env.EnvCommandTest.json;
import static dev.lakehouse.env.EnvCommandTest.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.cli.ExitCode;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.TestHome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** AWS envs against moto: Terraform state on S3, whoami over STS, the account guard. */
@ExtendWith(MotoServer.class)
class AwsEnvironmentTest {
    static final String STATE = """
            {
              "version": 4,
              "terraform_version": "1.9.8",
              "outputs": {
                "lakehouse": {
                  "value": {
                    "region": "us-east-1",
                    "account_id": "123456789012",
                    "raw_zone": "s3://lh-raw/dms",
                    "warehouse": "s3://lh-warehouse/iceberg",
                    "glue_database": "lakehouse_dev",
                    "glue_raw_database": "lakehouse_dev_raw",
                    "athena_workgroup": "lakehouse-dev",
                    "athena_result_location": "s3://lh-athena/results/",
                    "dms_tasks": {"orders": "arn:aws:dms:us-east-1:123456789012:task:AAA"},
                    "dms_replications": {},
                    "something_new": "ignored"
                  },
                  "type": ["object", {}]
                }
              },
              "resources": []
            }
            """;

    @TempDir
    Path dir;
    TestHome home;

    @BeforeEach
    void setUp() throws Exception {
        MotoServer.reset(); // these tests plant different state objects in one bucket
        home = new TestHome(dir);
        home.file("environments/dev/backend.conf", """
                # comment
                bucket         = "tfstate"
                key            = "lakehouse/dev/terraform.tfstate"
                region         = "us-east-1"
                dynamodb_table = "tflock"   # lock table
                encrypt        = true
                """);
        home.awsEnv("dev", MotoServer.ACCOUNT, "overrides:\n  athena_workgroup: primary\n");
    }

    S3Client s3() {
        return S3Client.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(MotoServer.endpoint()).forcePathStyle(true).build();
    }

    void putState(String body) {
        try (S3Client s3 = s3()) {
            s3.createBucket(b -> b.bucket("tfstate"));
            s3.putObject(p -> p.bucket("tfstate").key("lakehouse/dev/terraform.tfstate"), RequestBody.fromString(body));
        }
    }

    @Test
    void names_come_from_the_terraform_output_and_overrides_win() throws Exception {
        putState(STATE);
        var r = home.cli().moto().run("env", "show", "--env", "dev", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        String fromTerraform = "Terraform output (s3://tfstate/lakehouse/dev/terraform.tfstate)";
        assertEquals("s3://lh-warehouse/iceberg", setting(r, "warehouse").get("value").asText());
        assertEquals(fromTerraform, setting(r, "warehouse").get("source").asText());
        assertEquals("lakehouse_dev", setting(r, "namespace").get("value").asText());
        assertEquals("s3://lh-athena/results", setting(r, "athena_result_location").get("value").asText());
        assertEquals("arn:aws:dms:us-east-1:123456789012:task:AAA",
                setting(r, "dms_tasks").get("value").get("orders").asText());
        assertEquals("primary", setting(r, "athena_workgroup").get("value").asText());
        assertEquals("environments/dev/lakehouse.yaml (overrides)", setting(r, "athena_workgroup").get("source").asText());
        assertEquals(MotoServer.endpoint().toString(), setting(r, "endpoint").get("value").asText());
    }

    @Test
    void a_missing_state_object_says_where_it_looked_and_what_to_do() throws Exception {
        try (S3Client s3 = s3()) {
            s3.createBucket(b -> b.bucket("tfstate"));
        }
        var r = home.cli().moto().run("env", "show", "--env", "dev");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().contains("s3://tfstate/lakehouse/dev/terraform.tfstate (from environments/dev/backend.conf) does not exist"),
                r.errorLine());
        assertTrue(r.errorLine().contains("make tf-apply env=dev"), r.errorLine());

        var verbose = home.cli().moto().run("env", "show", "--env", "dev", "--verbose");
        assertEquals(r.errorLine(), verbose.errorLine(), "same first line with --verbose");
        assertTrue(verbose.err().contains("AWS request id"), verbose.err());
        assertTrue(verbose.err().contains("NoSuchKeyException"), "--verbose shows the stack trace");

        MotoServer.reset();
        var missingBucket = home.cli().moto().run("env", "show", "--env", "dev");
        assertEquals(1, missingBucket.exitCode());
        assertTrue(missingBucket.errorLine().contains("bucket tfstate (from environments/dev/backend.conf) does not exist"),
                missingBucket.errorLine());
    }

    @Test
    void state_without_the_lakehouse_output_is_named() {
        putState("{\"version\":4,\"outputs\":{}}");
        var r = home.cli().moto().run("env", "show", "--env", "dev");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("has no output 'lakehouse'"), r.errorLine());
    }

    @Test
    void state_of_another_account_is_refused() {
        putState(STATE.replace("\"account_id\": \"123456789012\"", "\"account_id\": \"999999999999\""));
        var r = home.cli().moto().run("env", "show", "--env", "dev");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("backend.conf pointing at another env's state"), r.errorLine());
    }

    @Test
    void a_local_state_file_works_too() throws Exception {
        home.file("environments/dev/terraform.tfstate", STATE);
        home.awsEnv("dev", MotoServer.ACCOUNT, "terraform:\n  state_file: terraform.tfstate\n");
        var r = home.cli().run("env", "show", "--env", "dev", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("s3://lh-raw/dms", setting(r, "raw_zone").get("value").asText());
    }

    @Test
    void whoami_reports_the_caller_and_that_it_matches() throws Exception {
        var r = home.cli().moto().run("whoami", "--env", "dev", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        var body = json(r.out());
        assertEquals(MotoServer.ACCOUNT, body.get("account").asText());
        assertTrue(body.get("arn").asText().startsWith("arn:aws:"), body.toString());
        assertTrue(body.get("account_matches").asBoolean());
        assertEquals("", r.err());
    }

    @Test
    void whoami_on_another_account_exits_3_naming_both_accounts() throws Exception {
        home.awsEnv("prod", "222222222222", "");
        var r = home.cli().moto().run("whoami", "--env", "prod", "-o", "json");
        assertEquals(ExitCode.CHECK_FAILED.code(), r.exitCode(), r.toString());
        assertFalse(json(r.out()).get("account_matches").asBoolean());
        assertTrue(r.errorLine().contains("123456789012") && r.errorLine().contains("222222222222"), r.errorLine());
    }

    @Test
    void whoami_on_local_needs_no_aws() {
        home.localEnv();
        var r = home.cli().run("whoami");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("needs no AWS identity"), r.out());
    }

    @Test
    void the_account_guard_refuses_another_account_before_any_change() {
        home.awsEnv("prod", "222222222222", "");
        var system = home.cli().moto().system();
        var loader = new EnvironmentLoader(system);
        Environment prod = loader.load(new EnvironmentLoader.Request("prod", null, null, null));
        Environment dev = loader.load(new EnvironmentLoader.Request("dev", null, null, null));
        try (AwsClients aws = new AwsClients(prod); AwsClients devAws = new AwsClients(dev)) {
            boolean[] changed = {false};
            var refused = assertThrows(LakehouseException.class, () -> {
                AccountGuard.check(prod, aws, "create bucket x");
                changed[0] = true;
            });
            assertFalse(changed[0]);
            assertEquals(ExitCode.FAILED, refused.exitCode());
            assertTrue(refused.getMessage().startsWith("Refusing to create bucket x on env prod: the AWS credentials are for account 123456789012"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("environments/prod/lakehouse.yaml declares account_id 222222222222"));

            AccountGuard.check(dev, devAws, "create bucket x"); // same account: passes
        }
    }

    /** A usage error does not wait for the env's Terraform state, which needs credentials: exit 2, nothing attempted. */
    @Test
    void query_option_errors_come_before_the_credentials_are_needed() {
        for (String[] options : List.of(new String[] {"--snapshot", "1"}, new String[] {"--explain"},
                new String[] {"--max-rows", "-1"}, new String[] {"--engine", "bogus"}, new String[] {"--timeout", "soon"})) {
            List<String> args = new java.util.ArrayList<>(List.of("query", "SELECT 1", "--env", "dev", "--profile", "no-such-profile"));
            args.addAll(List.of(options));
            var r = home.cli().moto().run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), r.toString());
            assertFalse(r.errorLine().contains("credentials"), r.errorLine());
        }
    }

    @Test
    void missing_credentials_are_one_clear_line() {
        var r = home.cli().moto().run("whoami", "--env", "dev", "--profile", "no-such-profile");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().startsWith("error: no usable AWS credentials"), r.errorLine());
        assertEquals("error: no usable AWS credentials: profile 'no-such-profile' has none in ~/.aws (or AWS_CONFIG_FILE,"
                + " AWS_SHARED_CREDENTIALS_FILE); configure it (aws configure --profile no-such-profile) or pass another --profile",
                r.errorLine());
    }
}
