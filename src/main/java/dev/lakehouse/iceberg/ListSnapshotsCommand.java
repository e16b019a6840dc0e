package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.iceberg.TableInspector.SnapshotRow;
import dev.lakehouse.output.Columns;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "snapshots",
        header = "List a table's snapshots with their operation, refs and record counts.",
        description = "Oldest first. REFS names the tags and branches pointing at a snapshot. JSON output adds each"
                + " snapshot's whole summary (where convert records the raw files it applied).",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse iceberg snapshots orders", "  lakehouse iceberg snapshots orders -o json | jq '.[-1].summary'"})
public final class ListSnapshotsCommand implements Callable<Integer> {
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
            ctx.output().table(TableInspector.snapshots(warehouse.load(table)), Columns.of(SnapshotRow.class)
                    .add("committed_at", SnapshotRow::committedAt)
                    .add("snapshot_id", SnapshotRow::snapshotId)
                    .add("parent_id", SnapshotRow::parentId)
                    .add("sequence_number", SnapshotRow::sequenceNumber)
                    .add("operation", SnapshotRow::operation)
                    .add("refs", SnapshotRow::refs)
                    .add("added_records", SnapshotRow::addedRecords)
                    .add("deleted_records", SnapshotRow::deletedRecords)
                    .add("total_records", SnapshotRow::totalRecords)
                    .add("total_data_files", SnapshotRow::totalDataFiles)
                    .add("total_delete_files", SnapshotRow::totalDeleteFiles)
                    .addJsonOnly("summary", SnapshotRow::summary));
        }
        return 0;
    }
}
