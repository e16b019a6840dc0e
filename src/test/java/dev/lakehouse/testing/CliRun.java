package dev.lakehouse.testing;

import dev.lakehouse.Lakehouse;
import dev.lakehouse.env.SystemEnvironment;
import dev.lakehouse.output.StdoutWriter;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real command line in-process, as the launcher would, with captured stdout, stderr and
 * exit code, in a made-up process environment (working directory, environment variables).
 */
public final class CliRun {
    private final Path workingDirectory;
    private final Map<String, String> variables = new HashMap<>();
    private boolean interactive;
    private String stdin = "";

    public CliRun(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public CliRun variable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** Points every AWS client at the moto server. */
    public CliRun moto() {
        return variable("AWS_ENDPOINT_URL", MotoServer.endpoint().toString());
    }

    /** Pretends stdin and stderr are terminals (for --yes prompts and progress). */
    public CliRun interactive() {
        this.interactive = true;
        return this;
    }

    /** What the user types on stdin (with {@link #interactive()}, the answer to a prompt). */
    public CliRun stdin(String text) {
        this.stdin = text;
        return this;
    }

    public SystemEnvironment system() {
        return new SystemEnvironment(variables, Map.of(), workingDirectory, interactive, interactive);
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Lakehouse.run(args, system(), new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs with stdout going to {@code stdout} as the process's own would ({@link StdoutWriter}); out() is empty. */
    public Result run(OutputStream stdout, String... args) {
        StringWriter err = new StringWriter();
        int code = Lakehouse.run(args, system(), new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new StdoutWriter(stdout), new PrintWriter(err));
        return new Result(code, "", err.toString());
    }

    public record Result(int exitCode, String out, String err) {
        /** The error line on stderr (notes may come before it), else its first line. */
        public String errorLine() {
            return err.lines().filter(l -> l.startsWith("error:")).findFirst()
                    .orElse(err.lines().findFirst().orElse(""));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
