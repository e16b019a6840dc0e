package dev.lakehouse.dms;

import dev.lakehouse.cli.GroupCommand;
import dev.lakehouse.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakehouse dms}: the env's AWS DMS replication (classic tasks and DMS Serverless). */
@Command(name = "dms",
        header = "Operate the env's AWS DMS replication: start, stop, status, tables, lag, reload, test connections.",
        description = {
            "Tasks are named as in the env's Terraform output (dms_tasks: classic tasks, dms_replications: DMS"
                + " Serverless replication configs); an ARN works too, and no name means all of them. Both kinds"
                + " work the same way.",
            "",
            "Commands that change DMS check the caller's AWS account first (the account guard). The local env has"
                + " no DMS: there, dms commands exit 2.",
            "",
            "Exit codes for scripts: 0 ok, 1 failed (with the task's own failure message), 2 usage, 3 a check did"
                + " not hold (dms lag --max, test-connection), 4 timed out waiting (--wait --timeout)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms list --env dev",
            "  lakehouse dms start --env dev --wait --timeout 2h",
            "  lakehouse dms lag --env prod --max 60s || alert 'DMS is behind'",
            "  lakehouse dms stop main --env dev --wait"})
public final class DmsCommand implements Callable<Integer>, GroupCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public List<Class<?>> commands() {
        return List.of(
                ListTasksCommand.class, ShowTaskCommand.class, StartTaskCommand.class, StopTaskCommand.class,
                ListTableStatsCommand.class, ReloadTablesCommand.class, ShowLagCommand.class,
                TestConnectionCommand.class);
    }

    @Override
    public Integer call() {
        return GroupCommand.missingSubcommand(spec);
    }
}
