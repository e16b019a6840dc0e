package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.output.ByteSize;
import dev.lakehouse.output.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "snapshot",
        header = "Create a new Iceberg table over existing Parquet files, without copying or changing them.",
        description = {
            "SOURCE is a folder (local env) or an s3:// prefix (AWS env), or one .parquet file. The schema is merged"
                + " from the Parquet footers by column name (safe widening only: int to long, float to double,"
                + " wider decimals); column statistics come from the footers too. Files whose schemas cannot be"
                + " merged, or that cannot be read, are named in the error and nothing is committed.",
            "",
            "The table does not own the files: it is created with gc.enabled=false, so expire and orphans never"
                + " delete them. Readers map columns by name (schema.name-mapping.default).",
            "",
            "--partition-by takes Iceberg transforms: region, day(created_at), bucket(16, id), truncate(4, name)."
                + " Identity values come from Hive-style folders (region=eu/) or from the footer statistics; a file"
                + " spanning several partitions is refused."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg snapshot exports/orders lakehouse.orders_snapshot",
            "  lakehouse iceberg snapshot s3://bucket/exports/orders/ orders --env dev \\",
            "    --partition-by region"})
public final class SnapshotTableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Folder, s3:// prefix or .parquet file.")
    String source;

    @Parameters(index = "1", paramLabel = "TABLE", description = "The new table: NAMESPACE.TABLE or TABLE.")
    String table;

    // a comma inside a transform's parentheses (bucket(16, id)) does not separate fields
    @Option(names = "--partition-by", paramLabel = "FIELD", split = ",(?![^(]*\\))", splitSynopsisLabel = ",",
            description = "Partition fields, comma-separated or repeated (default: unpartitioned).")
    List<String> partitionBy = new ArrayList<>();

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        try (Warehouse warehouse = Warehouse.open(ctx.environment());
             Progress progress = new Progress(ctx.console(), "reading footers", 0, "files")) {
            ctx.guard("create table " + table);
            String location = ImportSources.resolve(ctx, source);
            ParquetImport.Result r = ParquetImport.snapshot(warehouse, location, warehouse.identifier(table), partitionBy, progress);
            ctx.output().detail(describe(r));
        }
        return 0;
    }

    static Map<String, Object> describe(ParquetImport.Result r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("table", r.table());
        fields.put("created", r.created());
        fields.put("files_added", r.files());
        fields.put("records_added", r.records());
        fields.put("size_added", ByteSize.of(r.bytes()));
        fields.put("snapshot_id", r.snapshotId());
        return fields;
    }
}
