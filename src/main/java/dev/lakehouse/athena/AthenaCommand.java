package dev.lakehouse.athena;

import dev.lakehouse.cli.GroupCommand;
import dev.lakehouse.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakehouse athena}: the env's Athena queries and workgroup. */
@Command(name = "athena",
        header = "Amazon Athena: a query's status and results, cancel, the workgroup's history and settings.",
        description = "Queries run with 'lakehouse query' (or anything else) in the env's workgroup. AWS envs only.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse athena history --env prod --state FAILED",
            "  lakehouse athena status 1a2b3c4d-... --env prod",
            "  lakehouse athena results 1a2b3c4d-... --env prod -o csv > out.csv"})
public final class AthenaCommand implements Callable<Integer>, GroupCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public List<Class<?>> commands() {
        return List.of(
                ShowQueryStatusCommand.class, ShowQueryResultsCommand.class, CancelQueryCommand.class,
                ListQueryHistoryCommand.class, ShowWorkgroupCommand.class);
    }

    @Override
    public Integer call() {
        return GroupCommand.missingSubcommand(spec);
    }
}
