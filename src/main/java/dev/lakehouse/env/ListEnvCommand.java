package dev.lakehouse.env;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.output.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list",
        header = "List the environments found under environments/.",
        description = "One row per environments/NAME/lakehouse.yaml; the env --env selects is marked in CURRENT.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse env list", "  lakehouse env list -o json | jq -r '.[].name'"})
public final class ListEnvCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    record Row(String name, String type, String region, String accountId, String terraformState, boolean current,
               String problem) {
    }

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        var options = ctx.options();
        EnvironmentLoader loader = new EnvironmentLoader(ctx.system());
        EnvironmentLoader.Home home = loader.findHome(options.configDir);
        String selected = options.env != null ? options.env
                : ctx.system().variable("LAKEHOUSE_ENV") != null ? ctx.system().variable("LAKEHOUSE_ENV")
                : EnvironmentLoader.DEFAULT_ENV;
        List<Row> rows = new ArrayList<>();
        for (String name : EnvironmentLoader.names(home.path())) {
            try {
                Environment env = loader.load(new EnvironmentLoader.Request(name, null, null, home.path()));
                rows.add(new Row(name, env.kind().name(), env.region(), env.accountId(),
                        env.terraformState() == null ? null : env.terraformState().describe(),
                        name.equals(selected), null));
            } catch (ConfigException e) {
                ctx.console().warn(e.getMessage());
                rows.add(new Row(name, "invalid", null, null, null, name.equals(selected), e.getMessage()));
            }
        }
        ctx.output().table(rows, Columns.of(Row.class)
                .add("name", Row::name)
                .add("type", Row::type)
                .add("region", Row::region)
                .add("account_id", Row::accountId)
                .add("terraform_state", Row::terraformState)
                .add("current", Row::current)
                .add("problem", Row::problem));
        return 0;
    }
}
