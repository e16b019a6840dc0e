package dev.lakehouse.athena;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status",
        header = "Show one Athena query: state, times, data scanned, cost, Athena's reason if it failed.",
        description = "Exit 0 whatever the query's state: the state is in the output (json: .state).",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse athena status 1a2b3c4d-5678-90ab-cdef-1234567890ab --env prod",
            "  lakehouse athena status ID --env prod -o json | jq -r .state"})
public final class ShowQueryStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "QUERY_ID", description = "The query execution id.")
    String id;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        AthenaQueries athena = AthenaCommands.queries(ctx);
        ctx.output().detail(AthenaCommands.describe(athena.get(id), athena));
        return 0;
    }
}
