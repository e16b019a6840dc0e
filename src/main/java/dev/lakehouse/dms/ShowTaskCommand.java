package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.env.Environment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status",
        header = "Show one DMS task or Serverless replication in detail.",
        description = "Status, stop reason and last failure, full load progress and dates, CDC start and stop positions,"
                + " the recovery checkpoint (where a resume starts), endpoints and replication instance; for DMS"
                + " Serverless, the provisioned capacity. Without TASK, the env's only task.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms status --env dev",
            "  lakehouse dms status orders --env prod -o json | jq -r .recovery_checkpoint"})
public final class ShowTaskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TASK",
            description = "Name from the env (dms_tasks or dms_replications) or ARN; default: the env's only one.")
    String name;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Environment env = ctx.environment();
        DmsTarget target = DmsTarget.one(env, name, "status");
        ReplicationState s = new Replications(ctx.aws().dms()).describe(target);
        ctx.output().detail(fields(s));
        return 0;
    }

    static Map<String, Object> fields(ReplicationState s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", s.target().name());
        f.put("kind", s.target().kind().name());
        f.put("arn", s.target().arn());
        f.put("identifier", s.identifier());
        f.put("status", s.status());
        f.put("type", s.migrationType());
        f.put("stop_reason", s.stopReason());
        f.put("last_failure", s.lastFailure());
        f.put("progress_percent", s.progressPercent());
        f.put("tables_loaded", s.tablesLoaded());
        f.put("tables_loading", s.tablesLoading());
        f.put("tables_queued", s.tablesQueued());
        f.put("tables_errored", s.tablesErrored());
        f.put("created_at", s.createdAt());
        f.put("started_at", s.startedAt());
        f.put("stopped_at", s.stoppedAt());
        f.put("full_load_started_at", s.fullLoadStartedAt());
        f.put("full_load_finished_at", s.fullLoadFinishedAt());
        f.put("elapsed", s.elapsedMillis() == null ? null : Duration.ofMillis(s.elapsedMillis()));
        f.put("cdc_start_position", s.cdcStartPosition());
        f.put("cdc_stop_position", s.cdcStopPosition());
        f.put("recovery_checkpoint", s.recoveryCheckpoint());
        f.put("replication_instance", s.instanceArn());
        f.put("source_endpoint", s.sourceEndpointArn());
        f.put("target_endpoint", s.targetEndpointArn());
        if (s.target().kind() == DmsTarget.Kind.serverless) {
            f.put("provision_state", s.provisionState());
            f.put("capacity_units", s.capacityUnits());
        }
        return f;
    }
}
