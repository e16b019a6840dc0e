package dev.lakehouse.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.env.EnvironmentLoader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The offline Terraform check (src/test/terraform/check.js, docs/terraform-validation.md): terraform/
 * must pass it, every error planted in its broken fixture must be reported (so the checker cannot
 * silently pass everything), and the output {@code lakehouse} must produce every key the CLI reads.
 * Needs Node.js and npm; installs the checker's one npm dependency with {@code npm ci} when missing.
 */
class TerraformCheckTest {
    static final Path PROJECT = Path.of(System.getProperty("lakehouse.test.projectDir", ".")).toAbsolutePath().normalize();
    static final Path CHECKER = PROJECT.resolve("src/test/terraform");
    static final String FIXTURE = "src/test/terraform/fixtures/broken";
    static final Pattern EXPECT = Pattern.compile("(?:#|<!--)\\s*expect:\\s*([^>]+?)\\s*(?:-->)?$");

    /** A reported error, or an expected one: FILE:LINE [code]. */
    record Finding(String file, int line, String code) {
        @Override
        public String toString() {
            return file + ":" + line + " [" + code + "]";
        }
    }

    static JsonNode mainReport;
    static JsonNode fixtureReport;

    @BeforeAll
    static void runChecker() throws Exception {
        installDependencies();
        mainReport = check("--root", "terraform",
                "--var-file", "environments/dev/terraform.tfvars",
                "--var-file", "environments/prod/terraform.tfvars",
                "--root", "terraform/bootstrap");
        fixtureReport = check("--root", FIXTURE, "--var-file", FIXTURE + "/broken.tfvars");
    }

    @Test
    void terraformPassesTheOfflineCheck() {
        List<String> errors = new ArrayList<>();
        mainReport.path("errors").forEach(e -> errors.add(describe(e)));
        assertTrue(errors.isEmpty(), "node src/test/terraform/check.js (make tf-check) found errors in terraform/:\n"
                + String.join("\n", errors));
        assertTrue(mainReport.path("files").asInt() >= 20,
                "the check read only " + mainReport.path("files").asInt() + " .tf files of terraform/");
    }

    @Test
    void lakehouseOutputProducesEveryKeyTheCliReads() {
        JsonNode keys = mainReport.path("outputs").path("terraform").path("lakehouse");
        assertTrue(keys.isArray(), "terraform/outputs.tf must declare output \"lakehouse\" as an object {...}; found: " + keys);
        Set<String> produced = new TreeSet<>();
        keys.forEach(k -> produced.add(k.asText()));
        List<String> missing = EnvironmentLoader.OUTPUT_KEYS.stream().filter(k -> !produced.contains(k)).toList();
        assertEquals(List.of(), missing, "keys the CLI reads (EnvironmentLoader.OUTPUT_KEYS) that the output lakehouse"
                + " in terraform/outputs.tf does not produce; it produces " + produced);
    }

    @TestFactory
    Stream<DynamicTest> everyPlantedErrorIsReported() throws IOException {
        Set<Finding> reported = findings(fixtureReport);
        List<Finding> planted = planted();
        assertTrue(planted.size() >= 40, "the broken fixture should plant many errors; found " + planted.size());
        return planted.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> assertTrue(reported.contains(p),
                "check.js did not report the planted error " + p + "; it reported on that file:\n"
                        + reported.stream().filter(r -> r.file().equals(p.file())).map(Finding::toString)
                                .collect(Collectors.joining("\n")))));
    }

    @Test
    void nothingButThePlantedErrorsIsReported() throws IOException {
        Set<Finding> unexpected = new LinkedHashSet<>(findings(fixtureReport));
        planted().forEach(unexpected::remove);
        List<String> lines = new ArrayList<>();
        fixtureReport.path("errors").forEach(e -> {
            if (unexpected.contains(new Finding(e.path("file").asText(), e.path("line").asInt(), e.path("code").asText()))) {
                lines.add(describe(e));
            }
        });
        assertEquals(List.of(), lines, "errors reported in the fixture without an '# expect:' marker on that line");
        assertFalse(fixtureReport.path("errors").isEmpty());
    }

    // ------------------------------------------------------------------------------------ helpers

    static String describe(JsonNode e) {
        return e.path("file").asText() + ":" + e.path("line").asInt() + ":" + e.path("col").asInt() + ": ["
                + e.path("code").asText() + "] " + e.path("message").asText();
    }

    static Set<Finding> findings(JsonNode report) {
        Set<Finding> out = new LinkedHashSet<>();
        report.path("errors").forEach(e -> out.add(new Finding(e.path("file").asText(), e.path("line").asInt(),
                e.path("code").asText())));
        return out;
    }

    /** The '# expect: code[, code]' (Markdown: '<!-- expect: code -->') markers of the fixture, one finding per code. */
    static List<Finding> planted() throws IOException {
        List<Finding> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(PROJECT.resolve(FIXTURE))) {
            files = walk.filter(p -> p.toString().matches(".*\\.(tf|tfvars|md)$")).sorted().toList();
        }
        for (Path file : files) {
            String rel = PROJECT.relativize(file).toString().replace(File.separatorChar, '/');
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = EXPECT.matcher(lines.get(i));
                if (m.find()) {
                    for (String code : m.group(1).split(",")) {
                        out.add(new Finding(rel, i + 1, code.strip()));
                    }
                }
            }
        }
        return out;
    }

    static void installDependencies() throws Exception {
        if (Files.isDirectory(CHECKER.resolve("node_modules/@cdktf/hcl2json"))) {
            return;
        }
        Result r = run(CHECKER, 300, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
        if (r.exit() != 0) {
            fail("npm ci in " + CHECKER + " failed (exit " + r.exit() + "):\n" + r.stdout() + r.stderr());
        }
    }

    static JsonNode check(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "src/test/terraform/check.js", "--json"));
        command.addAll(List.of(args));
        Result r = run(PROJECT, 120, command.toArray(String[]::new));
        if (r.exit() != 0 && r.exit() != 1) {
            fail("check.js " + String.join(" ", args) + " failed (exit " + r.exit() + "):\n" + r.stderr());
        }
        return new ObjectMapper().readTree(r.stdout());
    }

    record Result(int exit, String stdout, String stderr) {
    }

    static Result run(Path dir, int timeoutSeconds, String... command) throws Exception {
        Path out = Files.createTempFile("tfcheck", ".out");
        Path err = Files.createTempFile("tfcheck", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                fail("TerraformCheckTest needs Node.js (18 or newer) and npm on the PATH to run the offline Terraform"
                        + " check (src/test/terraform/check.js); cannot run '" + command[0] + "': " + e.getMessage()
                        + ". Install them, e.g. apt-get install nodejs npm, or from https://nodejs.org/");
                throw e;
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
