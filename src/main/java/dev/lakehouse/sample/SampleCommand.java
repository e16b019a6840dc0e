package dev.lakehouse.sample;

import dev.lakehouse.cli.GroupCommand;
import dev.lakehouse.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakehouse sample}: realistic input data for trying the lakehouse without a source database. */
@Command(name = "sample",
        header = "Write sample input data: what AWS DMS would write for a small shop's database.",
        description = "Fills the env's raw zone so convert, query and compact have something real to work on.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse sample dms", "  lakehouse sample dms --rows 1000000 --changes 200000"})
public final class SampleCommand implements Callable<Integer>, GroupCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public List<Class<?>> commands() {
        return List.of(SampleDmsCommand.class);
    }

    @Override
    public Integer call() {
        return GroupCommand.missingSubcommand(spec);
    }
}
