package dev.lakehouse.iceberg;

import dev.lakehouse.cli.GroupCommand;
import dev.lakehouse.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lakehouse iceberg}: the env's Apache Iceberg tables. */
@Command(name = "iceberg",
        header = "Apache Iceberg tables: inspect, import Parquet, compact, expire, clean up, tag, roll back.",
        description = "Works the same on every env: on local the catalog is a SQLite file over a folder, on AWS it is"
                + " the Glue Data Catalog over S3. Tables are NAMESPACE.TABLE, or TABLE in the env's default"
                + " namespace. Everything runs in this process with Apache Iceberg's Java libraries, no Spark; on AWS"
                + " envs convert, compact and expire can run inside Athena instead (--engine athena).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg list --long",
            "  lakehouse iceberg describe orders",
            "  lakehouse iceberg snapshots sales.orders --env dev"})
public final class IcebergCommand implements Callable<Integer>, GroupCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public List<Class<?>> commands() {
        return List.of(
                ConvertTableCommand.class, ListTablesCommand.class, DescribeTableCommand.class,
                ShowHistoryCommand.class, ListSnapshotsCommand.class, ListFilesCommand.class,
                SnapshotTableCommand.class, AddFilesCommand.class, CompactTableCommand.class,
                ExpireSnapshotsCommand.class, DeleteOrphansCommand.class, TagSnapshotCommand.class,
                RollbackTableCommand.class);
    }

    @Override
    public Integer call() {
        return GroupCommand.missingSubcommand(spec);
    }
}
