package dev.lakehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What a command group does when run without a subcommand: a usage error that lists what it has. */
public final class GroupCommand {
    private GroupCommand() {
    }

    public static int missingSubcommand(CommandSpec spec) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand of '"
                + spec.qualifiedName() + "' (one of: " + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
