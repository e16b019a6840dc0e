package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.output.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "add-files",
        header = "Add existing Parquet files to a table, without copying or changing them.",
        description = {
            "Every column of each file must be a column of the table with the same type (or one the table's"
                + " type safely widens); the table's required columns must be in every file. A file the table"
                + " already has is refused, so a file is never added twice. Any bad file stops the command before"
                + " anything is committed. Column statistics come from the Parquet footers; partition values from"
                + " Hive-style folders (region=eu/) or the footer statistics.",
            "",
            "Added files become the table's: a later expire may delete them once no snapshot needs them."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg add-files orders exports/orders/2024-06",
            "  lakehouse iceberg add-files sales.orders s3://bucket/exports/2024-06/ \\",
            "    --env dev"})
public final class AddFilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "An existing table: NAMESPACE.TABLE or TABLE.")
    String table;

    @Parameters(index = "1", paramLabel = "SOURCE", description = "Folder, s3:// prefix or .parquet file.")
    String source;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        try (Warehouse warehouse = Warehouse.open(ctx.environment());
             Progress progress = new Progress(ctx.console(), "reading footers", 0, "files")) {
            ctx.guard("add files to " + table);
            String location = ImportSources.resolve(ctx, source);
            ParquetImport.Result r = ParquetImport.addFiles(warehouse, warehouse.identifier(table), location, progress);
            ctx.output().detail(SnapshotTableCommand.describe(r));
        }
        return 0;
    }
}
