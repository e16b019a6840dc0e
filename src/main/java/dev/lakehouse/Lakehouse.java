package dev.lakehouse;

import dev.lakehouse.athena.AthenaCommand;
import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.ErrorHandler;
import dev.lakehouse.cli.GlobalOptions;
import dev.lakehouse.cli.GroupCommand;
import dev.lakehouse.dms.DmsCommand;
import dev.lakehouse.env.EnvCommand;
import dev.lakehouse.env.SystemEnvironment;
import dev.lakehouse.env.WhoamiCommand;
import dev.lakehouse.iceberg.IcebergCommand;
import dev.lakehouse.output.StdoutWriter;
import dev.lakehouse.query.QueryCommand;
import dev.lakehouse.sample.SampleCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code lakehouse} command: global options, the command tree, and exit codes. */
@Command(name = "lakehouse",
        mixinStandardHelpOptions = true,
        versionProvider = Lakehouse.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Operate a serverless data lakehouse: DMS raw zone -> Apache Iceberg tables -> Athena.",
        description = {
            "Every command works on an environment (--env). 'local', the default, is the whole lakehouse on this"
                + " machine with no cloud. AWS envs (dev, prod) are provisioned by terraform/ and read their names"
                + " from the Terraform output 'lakehouse'.",
            "",
            "Results go to stdout (-o table|json|csv); progress and errors go to stderr."},
        subcommands = {EnvCommand.class, DmsCommand.class, IcebergCommand.class, QueryCommand.class, AthenaCommand.class,
            SampleCommand.class, WhoamiCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse env list",
            "  lakehouse env show --env dev",
            "  lakehouse whoami --env prod",
            "  lakehouse env show -o json | jq .",
            "",
            "Reference, architecture and getting started: docs/ in the repository."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:the operation failed (one line on stderr says why; --verbose for details)",
            "2:usage error: bad option, unknown env, bad configuration file",
            "3:a check did not hold (e.g. whoami on the wrong account)",
            "4:timed out waiting"})
public final class Lakehouse implements Callable<Integer>, CliContext.Holder {
    @Spec
    CommandSpec spec;


    @Mixin
    GlobalOptions globals = new GlobalOptions();

    private CliContext context;

    @Override
    public Integer call() {
        return GroupCommand.missingSubcommand(spec);
    }

    @Override
    public CliContext context() {
        return context;
    }

    /** Builds the whole command tree wired to a run's streams and process environment. */
    public static CommandLine commandLine(SystemEnvironment system, InputStream in, PrintWriter out, PrintWriter err) {
        return commandLine(system, in, out, err, group -> true);
    }

    /**
     * The command tree with the commands of the groups {@code expand} accepts (the others listed, and
     * empty): picocli models each command from its annotations when it is added, and modelling all of
     * them cost every start ~35 ms (a query command 0.490 -> 0.456 s, --version 0.234 -> 0.198 s).
     */
    static CommandLine commandLine(SystemEnvironment system, InputStream in, PrintWriter out, PrintWriter err,
                                   Predicate<String> expand) {
        Lakehouse root = new Lakehouse();
        root.context = new CliContext(root.globals, system, in, out, err);
        CommandLine cl = new CommandLine(root);
        for (CommandLine group : cl.getSubcommands().values()) {
            if (group.getCommand() instanceof GroupCommand g && expand.test(group.getCommandName())) {
                for (Class<?> command : g.commands()) {
                    group.addSubcommand(command);
                }
            }
        }
        ErrorHandler errors = new ErrorHandler(root.globals);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        headings(cl);
        return cl;
    }

    /**
     * The same section headings and width on every command's help, set once here rather than on each class.
     * Loops, not method references, here and above: a lambda whose signature names picocli's
     * CommandLine makes the class-data archive link that Java 5 class at dump time and then leave
     * it out ("Old class has been linked"), so each start loaded and verified it from the jar
     * (src/build/cds-archive.sh).
     */
    private static void headings(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        // the terminal's width on every command, not only the root's: an example line longer than 80
        // columns was wrapped on a wide terminal too, and copied without its last options
        usage.autoWidth(true);
        usage.descriptionHeading("%n").optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n")
                .parameterListHeading("%nArguments:%n").synopsisHeading("%nUsage: ");
        for (CommandLine sub : cl.getSubcommands().values()) {
            headings(sub);
        }
    }

    /** Runs one command line and returns its exit code; the CLI's only entry point (tests use it too). */
    public static int run(String[] args, SystemEnvironment system, InputStream in, PrintWriter out, PrintWriter err) {
        // the groups the arguments name (an option's value that happens to be a group's name only adds
        // that group); an @file may name any, so it gets the whole tree
        List<String> words = List.of(args);
        boolean argumentFile = words.stream().anyMatch(a -> a.startsWith("@"));
        CommandLine cl = commandLine(system, in, out, err, group -> argumentFile || words.contains(group));
        Lakehouse root = cl.getCommand();
        int code;
        try {
            code = cl.execute(args);
        } finally {
            root.context.close();
            out.flush();
            err.flush();
        }
        return ErrorHandler.afterOutput(code, out, err);
    }

    public static void main(String[] args) {
        // picocli looks for Groovy's Closure class when it first makes a command; a class that is not
        // there is looked for in every jar on the class path, which opened all ~95 of them on every
        // start (--version 0.172 -> 0.143 s). The documented switch; a -D on the command line wins.
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        // Nothing here reads or prints the machine's local time (times without a zone are UTC, as in
        // Athena), but DuckDB's driver builds the timestamps inside arrays, structs and maps as
        // java.sql.Timestamp, through the JVM's zone: one in its DST gap (02:30 on a spring-forward
        // day) came out an hour later. In UTC there is no gap.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        // stdout that keeps why a write failed: a closed pipe stops a command quietly (ErrorHandler)
        PrintWriter out = StdoutWriter.open();
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8); // as stdout: not the locale's
        System.exit(run(args, SystemEnvironment.current(), System.in, out, err));
    }

    /** {@code --version}: the build's version (from the jar) and the Java running it. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lakehouse " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }

        public static String version() {
            Properties p = new Properties();
            try (InputStream in = Lakehouse.class.getResourceAsStream("/lakehouse-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException ignored) {
                // fall through to "unknown"
            }
            return p.getProperty("version", "unknown");
        }
    }
}
