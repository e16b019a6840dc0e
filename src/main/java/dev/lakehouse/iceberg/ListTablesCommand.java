package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.output.ByteSize;
import dev.lakehouse.output.Columns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list",
        header = "List the Iceberg tables of the env's catalog.",
        description = "All namespaces, or only NAMESPACE. With --long, each table is loaded to show its size and"
                + " last commit (one metadata read per table).",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse iceberg list", "  lakehouse iceberg list lakehouse --long", "  lakehouse iceberg list --env dev -o json"})
public final class ListTablesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAMESPACE", description = "Only this namespace (Glue database).")
    String namespace;

    @Option(names = {"-l", "--long"}, description = "Also show snapshots, records, files, size and last commit.")
    boolean details;

    record Row(String namespace, String name, Integer snapshots, Long records, Long dataFiles, ByteSize size,
               Instant lastCommit) {
    }

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        List<Row> rows = new ArrayList<>();
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            for (TableIdentifier id : warehouse.list(namespace)) {
                if (!details) {
                    rows.add(new Row(id.namespace().toString(), id.name(), null, null, null, null, null));
                    continue;
                }
                Table table = warehouse.load(id);
                Snapshot current = table.currentSnapshot();
                var stats = TableFiles.stats(table, current);
                int snapshots = 0;
                for (Snapshot ignored : table.snapshots()) {
                    snapshots++;
                }
                rows.add(new Row(id.namespace().toString(), id.name(), snapshots, stats.records(), stats.dataFiles(),
                        ByteSize.of(stats.dataBytes()),
                        current == null ? null : Instant.ofEpochMilli(current.timestampMillis())));
            }
        }
        Columns<Row> columns = Columns.of(Row.class).add("namespace", Row::namespace).add("name", Row::name);
        if (details) {
            columns.add("snapshots", Row::snapshots).add("records", Row::records).add("data_files", Row::dataFiles)
                    .add("size", Row::size).add("last_commit", Row::lastCommit);
        }
        ctx.output().table(rows, columns);
        return 0;
    }
}
