package dev.lakehouse.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command group ({@code lakehouse iceberg}, {@code lakehouse dms}, ...). Its commands are not in
 * its {@code @Command} annotation: picocli builds a model of every command it is given, and a run
 * only adds the groups it names ({@code Lakehouse.commandLine}), so a start does not pay for all.
 */
public interface GroupCommand {
    /** The group's commands, in the order its help lists them. */
    List<Class<?>> commands();

    /** What a group does when run without a subcommand: a usage error that lists what it has. */
    static int missingSubcommand(CommandSpec spec) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand of '"
                + spec.qualifiedName() + "' (one of: " + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
