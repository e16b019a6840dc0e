package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.DurationOption;
import dev.lakehouse.cli.HelpOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tag",
        header = "Name a snapshot with a tag, so expire keeps it and rollback can find it.",
        description = "Tags the current snapshot, or --snapshot ID. With --retain, the tag (and the snapshot it"
                + " keeps alive) may be dropped by expire once that long has passed from now (kept_until), however"
                + " old the snapshot is. An existing tag is moved only with --replace.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg tag orders before-backfill",
            "  lakehouse iceberg tag orders month-end --snapshot 3051729675574597004 \\",
            "    --retain 400d"})
public final class TagSnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "NAMESPACE.TABLE, or TABLE in the env's default namespace.")
    String table;

    @Parameters(index = "1", paramLabel = "NAME", description = "The tag's name.")
    String name;

    @Option(names = "--snapshot", paramLabel = "ID", description = "The snapshot to tag (default: the current one).")
    Long snapshotId;

    @Option(names = "--retain", paramLabel = "AGE", description = "Keep the tag this long from now (default: forever), e.g. 30d.")
    String retain;

    @Option(names = "--replace", description = "Move the tag if it exists.")
    boolean replace;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Duration keep = retain == null ? null : DurationOption.positive(retain, "--retain");
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            Table t = warehouse.load(table);
            ctx.guard("tag a snapshot of " + TableInspector.name(t));
            SnapshotRef ref = SnapshotRefs.tag(t, name, snapshotId, keep, replace);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("table", TableInspector.name(t));
            out.put("tag", name);
            out.put("snapshot_id", ref.snapshotId());
            out.put("kept_until", ref.maxRefAgeMs() == null ? null
                    : java.time.Instant.ofEpochMilli(t.snapshot(ref.snapshotId()).timestampMillis() + ref.maxRefAgeMs()));
            ctx.output().detail(out);
        }
        return 0;
    }
}
