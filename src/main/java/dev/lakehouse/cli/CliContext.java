package dev.lakehouse.cli;

import dev.lakehouse.env.AccountGuard;
import dev.lakehouse.env.AwsClients;
import dev.lakehouse.env.Environment;
import dev.lakehouse.env.EnvironmentLoader;
import dev.lakehouse.env.SystemEnvironment;
import dev.lakehouse.env.TerraformState;
import dev.lakehouse.output.Console;
import dev.lakehouse.output.Output;
import dev.lakehouse.output.OutputFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command needs from the run it is part of: the resolved environment, AWS clients, and
 * where to print. Everything is built on first use, so --help and local commands build no AWS
 * client and read no Terraform state.
 */
public final class CliContext implements AutoCloseable {
    /** Implemented by the root command, which owns the context of a run. */
    public interface Holder {
        CliContext context();
    }

    private final GlobalOptions options;
    private final SystemEnvironment system;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private Environment base;
    private Environment full;
    private AwsClients aws;

    public CliContext(GlobalOptions options, SystemEnvironment system, InputStream in, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.system = system;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** The context of the run a command belongs to. */
    public static CliContext of(CommandSpec spec) {
        return ((Holder) spec.root().userObject()).context();
    }

    public GlobalOptions options() {
        return options;
    }

    public SystemEnvironment system() {
        return system;
    }

    private EnvironmentLoader.Request request() {
        return new EnvironmentLoader.Request(options.env, options.profile, options.region, options.configDir);
    }

    /** The env with everything resolved, reading the Terraform output when the env has state. */
    public Environment environment() {
        if (full == null) {
            Environment b = environmentWithoutState();
            full = b.isLocal() || b.terraformState() == null
                    ? b
                    : new EnvironmentLoader(system).load(request(), location -> TerraformState.read(location, aws(), b.name()));
        }
        return full;
    }

    /** The env from its file and flags only: region, profile, account, local paths. */
    public Environment environmentWithoutState() {
        if (base == null) {
            base = new EnvironmentLoader(system).load(request());
        }
        return base;
    }

    /** AWS clients for the env (region, profile, endpoints); refuses on the local env. */
    public AwsClients aws() {
        if (aws == null) {
            Environment env = environmentWithoutState();
            if (env.isLocal()) {
                throw LakehouseException.usage("env " + env.name() + " is local and has no AWS resources: pass --env with an AWS env");
            }
            aws = new AwsClients(env);
        }
        return aws;
    }

    /** Passes the account guard before changing anything on an AWS env. */
    public void guard(String action) {
        Environment env = environmentWithoutState();
        if (!env.isLocal()) {
            AccountGuard.check(env, aws(), action);
        }
    }

    /**
     * Asks before a destructive change: passes with {@code --yes}; otherwise asks on the terminal, and
     * refuses when stdin is not one (a script must say --yes).
     *
     * @param action what will happen, e.g. "expire 4 snapshots of lakehouse.orders"
     */
    public void confirm(boolean yes, String action) {
        if (yes) {
            return;
        }
        if (!system.stdinTerminal()) {
            throw LakehouseException.usage("Refusing to " + action + " without --yes: stdin is not a terminal,"
                    + " so nobody can confirm (scripts pass --yes; --dry-run shows what would happen)");
        }
        err.print("About to " + action + ". Continue? [y/N] ");
        err.flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
            throw LakehouseException.failed("Cancelled: did not " + action);
        }
    }

    /** All of stdin (for a query piped in). */
    public String readStdin() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw LakehouseException.usage("Cannot read stdin: " + e.getMessage());
        }
    }

    public Output output() {
        return new Output(options.output == null ? OutputFormat.table : options.output, out);
    }

    public Console console() {
        return new Console(err, options.quiet, options.verbose, system.stderrTerminal());
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    @Override
    public void close() {
        if (aws != null) {
            aws.close();
        }
    }
}
