package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.Columns;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list",
        header = "List the env's DMS tasks and Serverless replications with their status and progress.",
        description = "One row each: status, migration type (full-load, cdc, full-load-and-cdc), full load progress,"
                + " tables loaded, loading and errored, the CDC start position and the last failure message."
                + " -o json adds the ARN, stop reason and dates.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms list --env dev",
            "  lakehouse dms list --env prod -o json \\",
            "    | jq -r '.[] | select(.status != \"running\") | .name'"})
public final class ListTasksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*", paramLabel = "TASK", description = "Only these (names from the env, or ARNs); default: all.")
    List<String> names;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Environment env = ctx.environment();
        List<DmsTarget> targets = DmsTarget.resolve(env, names);
        List<ReplicationState> states = new Replications(ctx.aws().dms()).describe(targets);
        ctx.output().table(states, columns());
        return 0;
    }

    static Columns<ReplicationState> columns() {
        return Columns.of(ReplicationState.class)
                .add("name", s -> s.target().name())
                .add("kind", s -> s.target().kind())
                .add("status", ReplicationState::status)
                .add("type", ReplicationState::migrationType)
                .add("progress_percent", ReplicationState::progressPercent)
                .add("tables_loaded", ReplicationState::tablesLoaded)
                .add("tables_loading", ReplicationState::tablesLoading)
                .add("tables_errored", ReplicationState::tablesErrored)
                .add("cdc_start_position", ReplicationState::cdcStartPosition)
                .add("last_failure", ReplicationState::lastFailure)
                .addJsonOnly("arn", s -> s.target().arn())
                .addJsonOnly("identifier", ReplicationState::identifier)
                .addJsonOnly("stop_reason", ReplicationState::stopReason)
                .addJsonOnly("tables_queued", ReplicationState::tablesQueued)
                .addJsonOnly("started_at", ReplicationState::startedAt)
                .addJsonOnly("stopped_at", ReplicationState::stoppedAt)
                .addJsonOnly("full_load_finished_at", ReplicationState::fullLoadFinishedAt);
    }
}
