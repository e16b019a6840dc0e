package dev.lakehouse.env;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.output.Columns;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show",
        header = "Show every resolved setting of an environment and where it came from.",
        description = "Sources: a flag, an environment variable, the env file (environments/NAME/lakehouse.yaml),"
                + " an override in the env file, the Terraform output 'lakehouse' (read from the state object that"
                + " backend.conf names), or a default. On AWS envs this reads the Terraform state from S3.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse env show",
            "  lakehouse env show --env dev",
            "  lakehouse env show --env prod --skip-state",
            "  lakehouse env show --env dev -o json \\",
            "    | jq -r '.[] | select(.name==\"warehouse\").value'"})
public final class ShowEnvCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--skip-state", description = "Do not read the Terraform state; show only the env file, flags and defaults.")
    boolean skipState;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Environment env = skipState ? ctx.environmentWithoutState() : ctx.environment();
        ctx.output().table(env.settings(), Columns.of(Setting.class)
                .add("name", Setting::name)
                .add("value", Setting::value)
                .add("source", Setting::source));
        return 0;
    }
}
