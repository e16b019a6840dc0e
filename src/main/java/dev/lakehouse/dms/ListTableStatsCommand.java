package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.databasemigration.model.TableStatistics;

@Command(name = "tables",
        header = "Per-table statistics of DMS tasks: changes applied, full load rows, table and validation state.",
        description = "One row per source table and task (DescribeTableStatistics; DescribeReplicationTableStatistics for"
                + " DMS Serverless): inserts, updates, deletes and DDLs captured, rows of the full load, the table's state"
                + " (e.g. Table completed, Table error), its validation state and when DMS last updated the statistics."
                + " -o json adds error rows, full load times and validation counts.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms tables --env dev",
            "  lakehouse dms tables orders --env prod -o json \\",
            "    | jq '.[] | select(.state == \"Table error\")'"})
public final class ListTableStatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TASK", description = "Name from the env or ARN; default: all.")
    String name;

    record Row(String task, TableStatistics s) {
    }

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Environment env = ctx.environment();
        List<DmsTarget> targets = DmsTarget.resolve(env, name == null ? List.of() : List.of(name));
        Replications replications = new Replications(ctx.aws().dms());
        List<Row> rows = new ArrayList<>();
        for (DmsTarget t : targets) {
            replications.tableStatistics(t).forEach(s -> rows.add(new Row(t.name(), s)));
        }
        ctx.output().table(rows, Columns.of(Row.class)
                .add("task", Row::task)
                .add("schema", r -> r.s().schemaName())
                .add("table", r -> r.s().tableName())
                .add("state", r -> r.s().tableState())
                .add("inserts", r -> r.s().inserts())
                .add("updates", r -> r.s().updates())
                .add("deletes", r -> r.s().deletes())
                .add("ddls", r -> r.s().ddls())
                .add("full_load_rows", r -> r.s().fullLoadRows())
                .add("validation_state", r -> r.s().validationState())
                .add("last_update", r -> r.s().lastUpdateTime())
                .addJsonOnly("full_load_error_rows", r -> r.s().fullLoadErrorRows())
                .addJsonOnly("full_load_started_at", r -> r.s().fullLoadStartTime())
                .addJsonOnly("full_load_finished_at", r -> r.s().fullLoadEndTime())
                .addJsonOnly("full_load_reloaded", r -> r.s().fullLoadReloaded())
                .addJsonOnly("validation_pending_records", r -> r.s().validationPendingRecords())
                .addJsonOnly("validation_failed_records", r -> r.s().validationFailedRecords())
                .addJsonOnly("validation_state_details", r -> r.s().validationStateDetails()));
        if (rows.isEmpty()) {
            ctx.console().info("DMS has no table statistics yet: they appear once a task has started");
        }
        return 0;
    }
}
