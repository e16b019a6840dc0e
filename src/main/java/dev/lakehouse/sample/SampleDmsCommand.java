package dev.lakehouse.sample;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.cli.TimeOption;
import dev.lakehouse.env.Environment;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.output.Columns;
import dev.lakehouse.output.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dms",
        header = "Write DMS-format full-load and CDC files for sample tables into the env's raw zone.",
        description = {
            "For each table (customers, orders) under RAW_ZONE/public/TABLE/: a full load of --rows rows in LOAD files"
                + " (LOAD00000001 ... LOAD0000000C), then --changes changes in CDC files in date folders"
                + " (YYYY/MM/DD/yyyyMMdd-HHmmssSSS): 25%% inserts, --deletes deletes (half of them carrying"
                + " only the key) and updates, the first ones made during the full load (their commit times are earlier than the"
                + " LOAD rows' transfer times), several sharing a commit time, and a column added by an ALTER TABLE"
                + " after 60%% of the changes. Columns as DMS adds them: Op, dms_commit_ts (TimestampColumnName),"
                + " dms_change_seq ($AR_H_CHANGE_SEQ). The same --seed gives the same files.",
            "",
            "Refuses to write over existing raw files unless --overwrite (convert then sees a reload)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse sample dms",
            "  lakehouse sample dms --tables orders --rows 1000000 --changes 200000",
            "  lakehouse sample dms --format csv --overwrite"})
public final class SampleDmsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--tables", split = ",", paramLabel = "NAME", defaultValue = "customers,orders",
            description = "Sample tables to write (default: ${DEFAULT-VALUE}).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--rows", paramLabel = "N", defaultValue = "10000", description = "Rows in each full load (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--changes", paramLabel = "M", defaultValue = "2000", description = "CDC changes per table (default: ${DEFAULT-VALUE}).")
    long changes;

    @Option(names = "--format", paramLabel = "FILE_FORMAT", defaultValue = "parquet",
            description = "Raw file format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    DmsSampleWriter.Format format;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", paramLabel = "INSTANT", defaultValue = "2024-06-01T12:00:00Z",
            description = "When the full load starts (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--deletes", paramLabel = "PERCENT", defaultValue = "15",
            description = "Share of the changes that are deletes, 0-75 (default: ${DEFAULT-VALUE}); inserts are 25%%.")
    int deletePercent;

    @Option(names = "--overwrite", description = "Replace the tables' existing raw files.")
    boolean overwrite;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        if (rows < 0 || changes < 0) {
            throw LakehouseException.usage("--rows and --changes must not be negative");
        }
        if (deletePercent < 0 || deletePercent > 75) {
            throw LakehouseException.usage("--deletes: " + deletePercent + " is not a percentage from 0 to 75");
        }
        Instant startAt = TimeOption.parse(start, "--start");
        Environment env = ctx.environment();
        if (env.rawZone() == null) {
            throw LakehouseException.failed("env " + env.name() + " has no raw zone (raw_zone in the Terraform output or overrides)");
        }
        ctx.guard("write sample data to " + env.rawZone());
        try (Warehouse warehouse = Warehouse.open(env);
             Progress progress = new Progress(ctx.console(), "writing sample files", 0, "rows")) {
            var written = new DmsSampleWriter(warehouse.files(), env.rawZone(),
                    new DmsSampleWriter.Options(tables, rows, changes, format, seed, startAt, overwrite, deletePercent), progress).write();
            ctx.output().table(written, Columns.of(DmsSampleWriter.Written.class)
                    .add("source", DmsSampleWriter.Written::table)
                    .add("load_files", DmsSampleWriter.Written::loadFiles)
                    .add("load_rows", DmsSampleWriter.Written::loadRows)
                    .add("cdc_files", DmsSampleWriter.Written::cdcFiles)
                    .add("inserts", DmsSampleWriter.Written::inserts)
                    .add("updates", DmsSampleWriter.Written::updates)
                    .add("deletes", DmsSampleWriter.Written::deletes)
                    .add("rows_after", DmsSampleWriter.Written::rowsAfter)
                    .add("folder", DmsSampleWriter.Written::folder));
        }
        return 0;
    }
}
