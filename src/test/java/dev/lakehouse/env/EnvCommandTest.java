package dev.lakehouse.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.TestHome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code env list} and {@code env show} on envs that need no AWS: resolution, precedence, errors. */
class EnvCommandTest {
    @TempDir
    Path dir;
    TestHome home;

    @BeforeEach
    void setUp() {
        home = new TestHome(dir.resolve("checkout"))
                .env("local", """
                        type: local
                        namespace: demo
                        warehouse: data/warehouse
                        """)
                .awsEnv("dev", "111111111111", "profile: dev-profile\n")
                .awsEnv("prod", "222222222222", "");
    }

    static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    /** The value and source of one setting in {@code env show -o json}. */
    static JsonNode setting(CliRun.Result r, String name) throws Exception {
        for (JsonNode s : json(r.out())) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no setting " + name + " in " + r.out());
    }

    @Test
    void list_shows_every_env_and_marks_the_current_one() throws Exception {
        var r = home.cli().run("env", "list", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode rows = json(r.out());
        assertEquals(3, rows.size());
        assertEquals("dev", rows.get(0).get("name").asText());
        assertEquals("aws", rows.get(0).get("type").asText());
        assertEquals("111111111111", rows.get(0).get("account_id").asText());
        assertEquals("local", rows.get(1).get("name").asText());
        assertTrue(rows.get(1).get("current").asBoolean(), "local is the default env");
        assertEquals("prod", rows.get(2).get("name").asText());
    }

    @Test
    void local_paths_resolve_against_the_checkout_with_their_sources() throws Exception {
        var r = home.cli().run("env", "show", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("local", setting(r, "env").get("value").asText());
        assertEquals("default", setting(r, "env").get("source").asText());
        assertEquals(home.root().resolve("data/warehouse").toString(), setting(r, "warehouse").get("value").asText());
        assertEquals("environments/local/lakehouse.yaml", setting(r, "warehouse").get("source").asText());
        assertEquals(home.root().resolve(".lakehouse/catalog.db").toString(), setting(r, "catalog").get("value").asText());
        assertEquals("default", setting(r, "catalog").get("source").asText());
        assertEquals("demo", setting(r, "namespace").get("value").asText());
        assertTrue(Files.notExists(home.root().resolve("data")), "showing an env must not create its directories");
    }

    @Test
    void env_flag_beats_LAKEHOUSE_ENV_which_beats_the_default() throws Exception {
        var fromVariable = home.cli().variable("LAKEHOUSE_ENV", "prod").run("env", "show", "--skip-state", "-o", "json");
        assertEquals("prod", setting(fromVariable, "env").get("value").asText());
        assertEquals("environment variable LAKEHOUSE_ENV", setting(fromVariable, "env").get("source").asText());

        var fromFlag = home.cli().variable("LAKEHOUSE_ENV", "prod").run("env", "show", "--env", "dev", "--skip-state", "-o", "json");
        assertEquals("dev", setting(fromFlag, "env").get("value").asText());
        assertEquals("flag --env", setting(fromFlag, "env").get("source").asText());

        // global options are accepted before the subcommand too
        var before = home.cli().run("--env", "dev", "-o", "json", "env", "show", "--skip-state");
        assertEquals("dev", setting(before, "env").get("value").asText());
    }

    @Test
    void profile_and_region_flags_beat_the_env_file() throws Exception {
        var file = home.cli().run("env", "show", "--env", "dev", "--skip-state", "-o", "json");
        assertEquals("dev-profile", setting(file, "profile").get("value").asText());
        assertEquals("environments/dev/lakehouse.yaml", setting(file, "profile").get("source").asText());

        var flags = home.cli().run("env", "show", "--env", "dev", "--skip-state", "--profile", "other",
                "--region", "eu-central-1", "-o", "json");
        assertEquals("other", setting(flags, "profile").get("value").asText());
        assertEquals("flag --profile", setting(flags, "profile").get("source").asText());
        assertEquals("eu-central-1", setting(flags, "region").get("value").asText());
        assertEquals("flag --region", setting(flags, "region").get("source").asText());
    }

    @Test
    void without_a_profile_the_original_projects_profile_is_used_when_defined() throws Exception {
        Path config = dir.resolve("aws-config");
        String previous = System.getProperty("aws.configFile");
        try {
            Files.writeString(config, "[profile serverless-data-lakehouse]\nregion = eu-west-1\n");
            System.setProperty("aws.configFile", config.toString());
            var r = home.cli().run("env", "show", "--env", "prod", "--skip-state", "-o", "json");
            assertEquals("serverless-data-lakehouse", setting(r, "profile").get("value").asText());

            Files.writeString(config, "[profile something-else]\nregion = eu-west-1\n");
            var none = home.cli().run("env", "show", "--env", "prod", "--skip-state", "-o", "json");
            assertTrue(setting(none, "profile").get("value").isNull());
            assertEquals("AWS SDK default credential chain", setting(none, "profile").get("source").asText());
        } finally {
            if (previous == null) {
                System.clearProperty("aws.configFile");
            } else {
                System.setProperty("aws.configFile", previous);
            }
        }
    }

    @Test
    void the_checkout_is_found_from_a_subdirectory_or_from_LAKEHOUSE_HOME_or_the_flag() throws Exception {
        Path deep = Files.createDirectories(home.root().resolve("a/b/c"));
        var walked = new CliRun(deep).run("env", "show", "-o", "json");
        assertEquals(0, walked.exitCode(), walked.toString());
        assertEquals(home.root().toString(), setting(walked, "config_dir").get("value").asText());

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        var fromVariable = new CliRun(elsewhere).variable("LAKEHOUSE_HOME", home.root().toString()).run("env", "show", "-o", "json");
        assertEquals("environment variable LAKEHOUSE_HOME", setting(fromVariable, "config_dir").get("source").asText());

        var fromFlag = new CliRun(elsewhere).run("env", "show", "--config-dir", home.root().toString(), "-o", "json");
        assertEquals("flag --config-dir", setting(fromFlag, "config_dir").get("source").asText());

        var nowhere = new CliRun(elsewhere).run("env", "show");
        assertEquals(2, nowhere.exitCode(), nowhere.toString());
        assertTrue(nowhere.errorLine().contains("Cannot find an environments/ directory"), nowhere.errorLine());
        assertTrue(nowhere.errorLine().contains("--config-dir"), nowhere.errorLine());
    }

    @Test
    void unknown_env_is_a_usage_error_listing_the_envs_that_exist() {
        var r = home.cli().run("env", "show", "--env", "stage");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.errorLine().contains("Unknown env 'stage'"), r.errorLine());
        assertTrue(r.errorLine().contains("dev, local, prod"), r.errorLine());
    }

    @Test
    void malformed_yaml_names_the_file_and_the_line() {
        home.env("broken", "type: aws\naccount_id: \"111111111111\"\nregion: [eu-west-1\n");
        var r = home.cli().run("env", "show", "--env", "broken");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.errorLine().contains("environments/broken/lakehouse.yaml: not valid YAML (line"), r.errorLine());
    }

    @Test
    void unknown_keys_and_bad_values_name_the_file_the_key_and_what_is_allowed() {
        home.env("typo", "type: aws\naccount_id: \"111111111111\"\nregoin: eu-west-1\n");
        var typo = home.cli().run("env", "show", "--env", "typo");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.errorLine().contains("environments/typo/lakehouse.yaml: regoin: unknown key (allowed: "), typo.errorLine());
        assertTrue(typo.errorLine().contains("region"), typo.errorLine());

        home.env("kind", "type: cloud\n");
        var kind = home.cli().run("env", "show", "--env", "kind");
        assertEquals(2, kind.exitCode());
        assertTrue(kind.errorLine().contains("type: bad value 'cloud' (allowed: local, aws)"), kind.errorLine());

        home.env("number", "type: aws\naccount_id: 011111111111\nregion: eu-west-1\n");
        var number = home.cli().run("env", "show", "--env", "number");
        assertEquals(2, number.exitCode());
        assertTrue(number.errorLine().contains("account_id: expected text (put the number in quotes)"), number.errorLine());

        home.env("short", "type: aws\naccount_id: \"1234\"\nregion: eu-west-1\n");
        var shortAccount = home.cli().run("env", "show", "--env", "short");
        assertTrue(shortAccount.errorLine().contains("'1234' is not a 12-digit AWS account id"), shortAccount.errorLine());

        home.env("noregion", "type: aws\naccount_id: \"111111111111\"\n");
        var noRegion = home.cli().run("env", "show", "--env", "noregion");
        assertTrue(noRegion.errorLine().contains("environments/noregion/lakehouse.yaml: region: required key is missing"),
                noRegion.errorLine());

        home.env("s3local", "type: local\nwarehouse: s3://bucket/w\n");
        var s3local = home.cli().run("env", "show", "--env", "s3local");
        assertTrue(s3local.errorLine().contains("warehouse: a local env keeps its data on disk"), s3local.errorLine());

        home.env("badoverride", "type: aws\naccount_id: \"111111111111\"\nregion: eu-west-1\noverrides:\n  warehose: s3://x/y\n");
        var badOverride = home.cli().run("env", "show", "--env", "badoverride");
        assertTrue(badOverride.errorLine().contains("overrides.warehose: unknown key (allowed: region, account_id, raw_zone, warehouse"),
                badOverride.errorLine());
    }

    @Test
    void list_reports_an_invalid_env_without_failing_the_others() throws Exception {
        home.env("broken", "type: [\n");
        var r = home.cli().run("env", "list", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode broken = json(r.out()).get(0);
        assertEquals("broken", broken.get("name").asText());
        assertEquals("invalid", broken.get("type").asText());
        assertTrue(r.err().contains("warning: environments/broken/lakehouse.yaml: not valid YAML"), r.err());
    }

    @Test
    void overrides_in_the_env_file_are_used_without_terraform_state() throws Exception {
        home.awsEnv("manual", "111111111111", """
                overrides:
                  warehouse: s3://my-warehouse/iceberg/
                  glue_database: sales
                  dms_tasks:
                    orders: arn:aws:dms:eu-west-1:111111111111:task:ORDERS
                """);
        var r = home.cli().run("env", "show", "--env", "manual", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("s3://my-warehouse/iceberg", setting(r, "warehouse").get("value").asText());
        assertEquals("environments/manual/lakehouse.yaml (overrides)", setting(r, "warehouse").get("source").asText());
        assertEquals("sales", setting(r, "namespace").get("value").asText());
        assertEquals("arn:aws:dms:eu-west-1:111111111111:task:ORDERS",
                setting(r, "dms_tasks").get("value").get("orders").asText());
        assertTrue(setting(r, "terraform_state").get("value").isNull());
    }
}
