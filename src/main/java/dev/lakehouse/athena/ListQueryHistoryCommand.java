package dev.lakehouse.athena;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.ByteSize;
import dev.lakehouse.output.Columns;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

@Command(name = "history",
        header = "List the workgroup's recent queries: id, state, time, data scanned, first line of SQL.",
        description = "Newest first. ListQueryExecutions in the env's workgroup, details by BatchGetQueryExecution.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse athena history --env prod", "  lakehouse athena history --env prod --state FAILED --limit 5"})
public final class ListQueryHistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N queries (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only queries in this state: QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED.")
    String state;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        if (limit < 1) {
            throw LakehouseException.usage("--limit must be at least 1");
        }
        QueryExecutionState wanted = null;
        if (state != null) {
            wanted = QueryExecutionState.fromValue(state.toUpperCase(java.util.Locale.ROOT));
            if (wanted == QueryExecutionState.UNKNOWN_TO_SDK_VERSION) {
                throw LakehouseException.usage("--state: '" + state + "' is not a state (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)");
            }
        }
        AthenaQueries athena = AthenaCommands.queries(ctx);
        AthenaQueries.History history = athena.history(limit, wanted);
        if (history.olderLeft()) {
            ctx.console().warn("looked through the workgroup's newest " + history.searched() + " queries; older ones were not searched");
        }
        ctx.output().table(history.queries(), Columns.of(QueryExecution.class)
                .add("query_id", QueryExecution::queryExecutionId)
                .add("state", q -> q.status().stateAsString())
                .add("submitted", q -> q.status().submissionDateTime())
                .add("data_scanned", q -> ByteSize.of(q.statistics() == null || q.statistics().dataScannedInBytes() == null
                        ? 0 : q.statistics().dataScannedInBytes()))
                .add("query", q -> AthenaCommands.firstLine(q.query())));
        return 0;
    }
}
