package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollback",
        header = "Make an earlier snapshot (by id or tag) the table's current one.",
        description = {
            "Readers see the table as it was at that snapshot. Later snapshots are not deleted (history shows"
                + " them; expire removes them eventually), so a rollback can itself be undone by rolling forward"
                + " to a later snapshot id.",
            "",
            "Destructive: asks on a terminal and needs --yes otherwise; --dry-run shows from and to."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg rollback orders --to before-backfill --dry-run",
            "  lakehouse iceberg rollback orders --to 3051729675574597004 --yes"})
public final class RollbackTableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "NAMESPACE.TABLE, or TABLE in the env's default namespace.")
    String table;

    @Option(names = "--to", required = true, paramLabel = "SNAPSHOT_ID|TAG", description = "The snapshot to make current.")
    String to;

    @Option(names = "--dry-run", description = "Show what would change; change nothing.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed when stdin is not a terminal).")
    boolean yes;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            Table t = warehouse.load(table);
            Snapshot target = SnapshotRefs.resolve(t, to);
            SnapshotRefs.Rollback plan = SnapshotRefs.rollback(t, target, true);
            boolean noop = plan.from() != null && plan.from() == plan.to();
            if (!dryRun && !noop) {
                ctx.confirm(yes, "make snapshot " + plan.to() + " the current snapshot of " + TableInspector.name(t)
                        + " (now " + plan.from() + ")");
                ctx.guard("roll back " + TableInspector.name(t));
                SnapshotRefs.rollback(t, target, false, plan.from());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("table", TableInspector.name(t));
            out.put("dry_run", dryRun);
            out.put("from_snapshot_id", plan.from());
            out.put("to_snapshot_id", plan.to());
            out.put("to_is_ancestor", plan.ancestor());
            out.put("would_change", !noop); // what a dry run tells a script: changed stays false there
            out.put("changed", !dryRun && !noop);
            ctx.output().detail(out);
        }
        return 0;
    }
}
