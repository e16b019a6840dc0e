package dev.lakehouse.env;

import dev.lakehouse.cli.GroupCommand;
import dev.lakehouse.cli.HelpOption;
import picocli.CommandLine.Command;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakehouse env}: the environments of this checkout and their resolved settings. */
@Command(name = "env",
        header = "Environments: list them, show what --env resolves to.",
        description = "An environment is a folder environments/NAME/ holding a lakehouse.yaml. 'local' runs on"
                + " this machine; AWS envs name their account, region and profile and read everything else from"
                + " the Terraform output 'lakehouse'.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse env list",
            "  lakehouse env show --env dev",
            "  LAKEHOUSE_ENV=prod lakehouse env show -o json"})
public final class EnvCommand implements Callable<Integer>, GroupCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public List<Class<?>> commands() {
        return List.of(ListEnvCommand.class, ShowEnvCommand.class);
    }

    @Override
    public Integer call() {
        return GroupCommand.missingSubcommand(spec);
    }
}
