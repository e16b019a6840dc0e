package dev.lakehouse.athena;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "results",
        header = "Print the rows of a finished Athena query again, in any format.",
        description = "Rows stream as they are read. A query that did not succeed exits 1 with Athena's reason.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse athena results ID --env prod", "  lakehouse athena results ID --env prod -o csv > out.csv"})
public final class ShowQueryResultsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "QUERY_ID", description = "The query execution id.")
    String id;

    @Option(names = "--results-from", paramLabel = "SOURCE", defaultValue = "auto",
            description = "api (GetQueryResults pages), s3 (the result file), auto (default: ${DEFAULT-VALUE})."
                    + " DDL results and client-side encrypted (CSE_KMS) ones are read by API.")
    AthenaResults.Source source;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        AthenaQueries athena = AthenaCommands.queries(ctx);
        try (AthenaResults rows = athena.results(id, source)) {
            ctx.output().stream(rows.columns(), rows);
        }
        return 0;
    }
}
