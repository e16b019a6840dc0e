package dev.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bin/lakehouse} as a user runs it, over the packaged jar (failsafe runs this after
 * {@code mvn package}), with the JDK that built it and with every other JDK 17+ installed under
 * /usr/lib/jvm: a command prints its answer and nothing else on stderr. Java 22+ warn about each
 * native library (DuckDB, SQLite) and Java 24+ about sun.misc.Unsafe (Iceberg's Caffeine) on
 * every start unless the jar's manifest and the launcher say those are wanted.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("bin/lakehouse").toAbsolutePath();

    static Stream<Path> jdks() throws IOException {
        Set<Path> found = new LinkedHashSet<>();
        found.add(Path.of(System.getProperty("java.home")).toRealPath());
        Path installed = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> dirs = Files.list(installed)) {
                dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && major(d) >= 17).sorted().forEach(d -> {
                    try {
                        found.add(d.toRealPath());
                    } catch (IOException e) {
                        // a dangling link: not an installed JDK
                    }
                });
            }
        }
        return found.stream();
    }

    /** The JDK's feature version from its release file; 0 if it has none. */
    private static int major(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    String v = line.substring("JAVA_VERSION=\"".length());
                    int end = 0;
                    while (end < v.length() && Character.isDigit(v.charAt(end))) {
                        end++;
                    }
                    return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_command_prints_its_answer_and_nothing_on_stderr(Path jdk, @TempDir Path dir) throws Exception {
        LakehouseFixture fx = LakehouseFixture.local(dir);
        try (Warehouse w = fx.warehouse()) {
            TestTables.appendFiles(TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of()), 0, 2, 5);
        }
        Result version = run(jdk, "--version");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().startsWith("lakehouse "), version.toString());
        if (major(jdk) > 0) {
            assertTrue(version.out().contains("Java " + major(jdk) + "."), "runs on the JDK it was given: " + version);
        }
        assertEquals("", version.err(), "stderr of --version on " + jdk);

        Result query = run(jdk, "query", "SELECT count(*) AS orders FROM lakehouse.orders", "--config-dir", dir.toString(),
                "-o", "csv");
        assertEquals(0, query.exit(), query.toString());
        assertEquals("orders\n10\n", query.out(), query.toString());
        assertEquals("", query.err(), "stderr of a query on " + jdk);

        Result unknown = run(jdk, "query", "SELECT 1 FROM lakehouse.nope", "--config-dir", dir.toString());
        assertEquals(1, unknown.exit(), unknown.toString());
        assertEquals(1, unknown.err().lines().count(), "one line naming the table: " + unknown);
        assertTrue(unknown.err().contains("nope"), unknown.toString());
    }

    /**
     * Under the C locale (cron, CI containers) Java decodes the command line and, on Java 17,
     * writes stdout in ASCII: 'é' became '?'. The launcher and the CLI keep both UTF-8.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void non_ascii_text_survives_the_c_locale(Path jdk, @TempDir Path dir) throws Exception {
        LakehouseFixture.local(dir);
        Path file = Files.writeString(dir.resolve("q.sql"), "SELECT 'café €5' AS x", StandardCharsets.UTF_8);
        // this JVM can hand the launcher non-ASCII arguments only if its own command-line charset is UTF-8
        boolean argumentsToo = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
        for (String locale : List.of("LC_ALL", "LANG")) {
            List<List<String>> queries = new ArrayList<>();
            queries.add(List.of("-f", file.toString()));
            if (argumentsToo) {
                queries.add(List.of("SELECT 'café €5' AS x"));
            }
            for (List<String> query : queries) {
                List<String> args = new ArrayList<>(List.of("query"));
                args.addAll(query);
                args.addAll(List.of("--config-dir", dir.toString(), "-o", "csv"));
                Result r = run(jdk, Map.of(locale, "C"), args.toArray(String[]::new));
                assertEquals(0, r.exit(), r.toString());
                assertEquals("x\ncafé €5\n", r.out(), locale + "=C on " + jdk + ", query " + query);
                assertEquals("", r.err(), r.toString());
            }
        }
    }

    /**
     * DuckDB took its session time zone from the machine's TZ: in St. John's (UTC-2:30) a timestamp
     * with time zone of 02:00Z was a day earlier as a DATE and hour 23, and a timestamp inside a list
     * that falls in the zone's DST gap printed an hour later. The local engine answers in UTC, as
     * Athena's sessions do, wherever it runs.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void answers_do_not_depend_on_the_machines_time_zone(Path jdk, @TempDir Path dir) throws Exception {
        LakehouseFixture.local(dir);
        Result r = run(jdk, Map.of("TZ", "America/St_Johns"), "query", "SELECT CAST(TIMESTAMPTZ '2024-06-01 02:00:00+00' AS DATE) AS d,"
                + " hour(TIMESTAMPTZ '2024-06-01 02:00:00+00') AS h, TIMESTAMPTZ '2024-06-01 02:00:00+00' = TIMESTAMP '2024-06-01 02:00:00' AS same,"
                // St. John's clocks went from 02:00 to 03:00 that day: a time in the gap, inside a list
                + " [TIMESTAMP '2024-03-10 02:30:00'] AS gap",
                "--config-dir", dir.toString(), "-o", "csv");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("d,h,same,gap\n2024-06-01,2,true,[2024-03-10T02:30:00]\n", r.out(), r.toString());
    }

    /**
     * `lakehouse query ... | head -2` through a real pipe: once the reader closes it, the next write
     * fails with EPIPE (Java ignores SIGPIPE) and the command ends at once, exit 0, stderr empty.
     */
    @org.junit.jupiter.api.Test
    void a_closed_pipe_ends_a_query_quietly(@TempDir Path dir) throws Exception {
        LakehouseFixture.local(dir);
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "query", "SELECT * FROM range(10000000000) t(x)",
                "--config-dir", dir.toString(), "-o", "csv");
        pb.environment().remove("LAKEHOUSE_JAVA_OPTS");
        pb.environment().remove("LAKEHOUSE_ENV");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            p.getOutputStream().close();
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("x", lines.readLine());
                assertEquals("0", lines.readLine());
            }
            // 10^10 rows: were the rows not streamed, or the closed pipe ignored, this would take hours
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the query went on after its reader closed the pipe");
            }
            assertEquals(0, p.exitValue(), Files.readString(err));
            assertEquals("", Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    record Result(int exit, String out, String err) {
    }

    private static Result run(Path jdk, String... args) throws Exception {
        return run(jdk, Map.of(), args);
    }

    /** The launcher with these environment variables; a locale variable given replaces the machine's locale settings. */
    private static Result run(Path jdk, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", jdk.toString());
        if (env.keySet().stream().anyMatch(k -> k.equals("LANG") || k.startsWith("LC_"))) {
            pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
        }
        pb.environment().putAll(env);
        pb.environment().remove("LAKEHOUSE_JAVA_OPTS");
        pb.environment().remove("LAKEHOUSE_HOME");
        pb.environment().remove("LAKEHOUSE_ENV");
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bin/lakehouse " + String.join(" ", args) + " did not end within 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
