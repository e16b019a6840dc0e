package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.iceberg.TableInspector.HistoryRow;
import dev.lakehouse.output.Columns;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "history",
        header = "Show when each snapshot became the table's current one.",
        description = "The snapshot log, oldest first. After a rollback, snapshots that are no longer ancestors of the"
                + " current one show IS CURRENT ANCESTOR false.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse iceberg history orders", "  lakehouse iceberg history orders -o csv"})
public final class ShowHistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "NAMESPACE.TABLE, or TABLE in the env's default namespace.")
    String table;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            ctx.output().table(TableInspector.history(warehouse.load(table)), Columns.of(HistoryRow.class)
                    .add("made_current_at", HistoryRow::madeCurrentAt)
                    .add("snapshot_id", HistoryRow::snapshotId)
                    .add("parent_id", HistoryRow::parentId)
                    .add("is_current_ancestor", HistoryRow::isCurrentAncestor));
        }
        return 0;
    }
}
