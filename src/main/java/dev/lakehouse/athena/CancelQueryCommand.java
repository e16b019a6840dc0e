package dev.lakehouse.athena;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cancel",
        header = "Stop a running Athena query.",
        description = "Calls StopQueryExecution after the account guard; prints the query's state afterwards.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse athena cancel 1a2b3c4d-5678-90ab-cdef-1234567890ab --env prod"})
public final class CancelQueryCommand implements Callable<Integer> {
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
        ctx.guard("cancel Athena query " + id);
        athena.stop(id);
        ctx.output().detail(AthenaCommands.describe(athena.get(id), athena));
        return 0;
    }
}
