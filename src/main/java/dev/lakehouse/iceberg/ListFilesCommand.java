package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.iceberg.TableInspector.FileRow;
import dev.lakehouse.output.Columns;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "files",
        header = "List the data and delete files of a table's current (or given) snapshot.",
        description = "CONTENT is data, position_deletes or equality_deletes. DATA SEQUENCE NUMBER decides which"
                + " delete files apply to which data files.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse iceberg files orders", "  lakehouse iceberg files orders --snapshot 3051729675574597004 -o csv"})
public final class ListFilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "NAMESPACE.TABLE, or TABLE in the env's default namespace.")
    String table;

    @Option(names = "--snapshot", paramLabel = "ID", description = "A snapshot id (default: the current snapshot).")
    Long snapshotId;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            Table t = warehouse.load(table);
            Snapshot snapshot = snapshotId == null ? t.currentSnapshot() : t.snapshot(snapshotId);
            if (snapshotId != null && snapshot == null) {
                throw LakehouseException.failed("Table " + t.name() + " has no snapshot " + snapshotId
                        + " (see: lakehouse iceberg snapshots " + table + ")");
            }
            ctx.output().table(TableInspector.files(t, snapshot), Columns.of(FileRow.class)
                    .add("content", FileRow::content)
                    .add("path", FileRow::path)
                    .add("partition", FileRow::partition)
                    .add("records", FileRow::records)
                    .add("size", FileRow::size)
                    .add("spec_id", FileRow::specId)
                    .add("data_sequence_number", FileRow::dataSequenceNumber)
                    .add("equality_ids", FileRow::equalityIds));
        }
        return 0;
    }
}
