package dev.lakehouse.cli;

import dev.lakehouse.output.OutputFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options valid on every command ({@code scope = INHERIT}): picocli copies them onto each
 * subcommand, bound to the same fields, so {@code lakehouse --env dev env show} and
 * {@code lakehouse env show --env dev} mean the same.
 */
public final class GlobalOptions {

    @Option(names = "--env", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Environment: a folder under environments/ (default: $LAKEHOUSE_ENV, else local).")
    public String env;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "AWS profile (default: the env file's profile, else serverless-data-lakehouse if"
                    + " defined, else the AWS SDK default chain).")
    public String profile;

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "AWS region (default: the env file's region).")
    public String region;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: table).")
    public OutputFormat output;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors: no progress, no notes on stderr.")
    public boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Explain failures in detail: stack traces and AWS request ids.")
    public boolean verbose;

    @Option(names = "--config-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Directory holding environments/ (default: $LAKEHOUSE_HOME, else found by walking"
                    + " up from the working directory, else the installation's own).")
    public Path configDir;
}
