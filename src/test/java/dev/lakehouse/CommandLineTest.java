package dev.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.testing.FailingStdout;
import dev.lakehouse.testing.TestHome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a whole: help, version, usage errors and their exit codes. */
class CommandLineTest {
    @TempDir
    Path dir;
    TestHome home;

    @BeforeEach
    void setUp() {
        home = new TestHome(dir).localEnv();
    }

    @Test
    void every_command_has_help_with_examples() {
        List<String> paths = new ArrayList<>();
        collect(GeneratedFilesTest.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 4, paths.toString());
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            var r = home.cli().run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), path + ": " + r);
            assertTrue(r.out().contains("Usage: lakehouse"), path + ": " + r.out());
            assertTrue(r.out().contains("Examples:"), path + " --help has no examples: " + r.out());
            assertTrue(r.out().contains("--env=NAME"), path + " --help lacks the global options");
        }
    }

    /**
     * An example is copied from --help as it prints: picocli wraps a line past the help's width (80
     * when stdout is no terminal), and a wrapped example line ran without its last options.
     */
    @Test
    void every_example_fits_one_80_column_line() {
        List<String> tooLong = new ArrayList<>();
        forEach(GeneratedFilesTest.commandLine(), cmd -> {
            for (String line : cmd.getCommandSpec().usageMessage().footer()) {
                if (line.length() > 78) {
                    tooLong.add(cmd.getCommandSpec().qualifiedName() + ": " + line.length() + ": " + line);
                }
            }
            assertTrue(cmd.getCommandSpec().usageMessage().autoWidth(), cmd.getCommandSpec().qualifiedName()
                    + ": help takes a wide terminal's width");
        });
        assertEquals(List.of(), tooLong);
    }

    private static void forEach(CommandLine cmd, java.util.function.Consumer<CommandLine> action) {
        action.accept(cmd);
        for (var e : cmd.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help")) {
                forEach(e.getValue(), action);
            }
        }
    }

    private static void collect(CommandLine cmd, List<String> prefix, List<String> into) {
        for (var e : cmd.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            into.add(String.join(" ", path));
            collect(e.getValue(), path, into);
        }
    }

    /**
     * Output that cannot be written is an error (it was hidden: PrintWriter keeps write errors to
     * itself), except when the reader just went away (`| head`), which is what it wanted.
     */
    @Test
    void a_command_whose_output_cannot_be_written_fails() {
        var full = home.cli().run(new FailingStdout(0, FailingStdout.DISK_FULL), "--version");
        assertEquals(1, full.exitCode(), full.toString());
        assertEquals("error: cannot write to stdout: No space left on device\n", full.err());
        var closed = home.cli().run(new FailingStdout(0, FailingStdout.BROKEN_PIPE), "--version");
        assertEquals(0, closed.exitCode(), closed.toString());
        assertEquals("", closed.err());
        var fine = new FailingStdout(1 << 20, FailingStdout.DISK_FULL);
        assertEquals(0, home.cli().run(fine, "--version").exitCode());
        assertTrue(fine.written().startsWith("lakehouse "), fine.written());
    }

    @Test
    void version_names_the_build() {
        var r = home.cli().run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("lakehouse "), r.out());
        assertTrue(!r.out().startsWith("lakehouse unknown"), "version comes from the build: " + r.out());
    }

    /**
     * lakehouse query "$(cat report.sql)" where the file starts with a -- comment: picocli takes the
     * SQL for an option. The error was two lines (the SQL's) and did not say what to do.
     */
    @Test
    void sql_starting_with_a_comment_as_an_argument_is_one_line_saying_how_to_pass_it() {
        for (String comment : List.of("-- daily report", "-- report")) { // the second looks like --results-from to picocli
            var r = home.cli().run("query", comment + "\nSELECT 1");
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("error: '" + comment + "' is not an option: give SQL that starts with a -- comment with -f FILE, on"
                    + " stdin, or after the options and --; see 'lakehouse query --help'", r.errorLine());
        }
        var multiLine = home.cli().run("env", "show", "--bogus\nmore");
        assertEquals(1, multiLine.err().lines().count(), multiLine.err());
    }

    /** Each option with fixed values completes its own: sample dms --format offered -o's table, json, csv. */
    @Test
    void bash_completion_offers_each_options_own_values() throws Exception {
        String bash = java.nio.file.Files.readString(GeneratedFilesTest.PROJECT.resolve("completions/lakehouse.bash"));
        String function = bash.substring(bash.indexOf("function _picocli_lakehouse_sample_dms()"));
        function = function.substring(0, function.indexOf("\n}\n"));
        List<String> choices = function.lines().filter(l -> l.contains("_option_args=(")).map(String::strip).toList();
        assertTrue(choices.stream().anyMatch(l -> l.contains("parquet") && l.contains("csv") && !l.contains("json")), choices.toString());
        assertEquals(choices.size(), choices.stream().map(l -> l.substring(0, l.indexOf('='))).distinct().count(),
                "one variable per option: " + choices);
    }

    @Test
    void an_unknown_option_is_one_line_and_exit_2() {
        var r = home.cli().run("env", "show", "--bogus");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().startsWith("error: Unknown option: '--bogus'"), r.errorLine());
        assertTrue(r.errorLine().contains("see 'lakehouse env show --help'"), r.errorLine());
        assertEquals("", r.out());
    }

    @Test
    void a_missing_argument_is_one_line_without_picoclis_own_error_prefix() {
        var r = home.cli().run("iceberg", "convert");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().startsWith("error: Missing required argument"), r.errorLine());
    }

    @Test
    void a_misspelt_command_suggests_the_right_one() {
        var r = home.cli().run("env", "lst");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("did you mean: list?"), r.errorLine());
    }

    @Test
    void a_bad_output_format_lists_the_formats() {
        var r = home.cli().run("env", "list", "-o", "xml");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("table, json, csv"), r.errorLine());
    }

    @Test
    void a_group_without_a_subcommand_is_a_usage_error() {
        var r = home.cli().run("env");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("Missing a subcommand of 'lakehouse env' (one of: list, show)"), r.errorLine());
        var root = home.cli().run();
        assertEquals(2, root.exitCode(), root.toString());
    }

    @Test
    void a_run_builds_only_the_groups_it_names_and_an_argument_file_gets_them_all() throws Exception {
        var help = home.cli().run("--help");
        assertEquals(0, help.exitCode(), help.toString());
        for (String group : List.of("env", "dms", "iceberg", "query", "athena", "sample", "whoami")) {
            assertTrue(help.out().contains("  " + group + " "), group + " missing from: " + help.out());
        }
        var helpOf = home.cli().run("help", "iceberg");
        assertTrue(helpOf.out().contains("convert"), helpOf.out());
        var named = home.cli().run("env", "list", "-o", "csv");
        assertEquals(0, named.exitCode(), named.toString());
        Path args = dir.resolve("args.txt");
        java.nio.file.Files.writeString(args, "env\nlist\n-o\ncsv\n");
        var fromFile = home.cli().run("@" + args);
        assertEquals(0, fromFile.exitCode(), fromFile.toString());
        assertEquals(named.out(), fromFile.out());
    }

    @Test
    void every_output_format_carries_the_same_rows() {
        var table = home.cli().run("env", "list");
        assertEquals(0, table.exitCode(), table.toString());
        assertEquals(List.of("NAME   TYPE   REGION  ACCOUNT ID  TERRAFORM STATE  CURRENT  PROBLEM",
                        "local  local  -       -           -                true     -"),
                table.out().lines().toList());

        var csv = home.cli().run("env", "list", "-o", "csv");
        assertEquals(List.of("name,type,region,account_id,terraform_state,current,problem", "local,local,,,,true,"),
                csv.out().lines().toList());

        var json = home.cli().run("env", "list", "-o", "JSON");
        assertEquals(0, json.exitCode());
        assertTrue(json.out().contains("\"name\" : \"local\""), json.out());
        assertTrue(json.out().contains("\"region\" : null"), json.out());
        assertTrue(json.out().contains("\"current\" : true"), json.out());
    }
}
