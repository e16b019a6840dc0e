package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "describe",
        header = "Describe a table: schema, partitioning, files, deletes, snapshots, properties.",
        description = "Schema with identifier (key) fields, partition spec, sort order, properties, refs, the current"
                + " snapshot and last commit time, data and delete file counts and sizes, average data file size"
                + " and the number of small data files (below 75%% of write.target-file-size-bytes, the ones"
                + " 'compact' rewrites).",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse iceberg describe orders", "  lakehouse iceberg describe sales.orders --env dev -o json"})
public final class DescribeTableCommand implements Callable<Integer> {
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
            ctx.output().document(TableInspector.describe(warehouse.load(table)));
        }
        return 0;
    }
}
