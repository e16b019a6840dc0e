package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.DurationOption;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "orphans",
        header = "List (or delete) files under a table's location that no snapshot references.",
        description = {
            "Lists every file under the table's location and compares it with every file its snapshots and"
                + " metadata reference: what is left was written by a failed or killed job. Only files older than"
                + " --older-than count: a younger one may belong to a commit in progress and is never touched"
                + " (their number is reported).",
            "",
            "With --delete the orphans are deleted: destructive, so it asks on a terminal and needs --yes otherwise."
                + " It refuses an --older-than under 1h unless --allow-recent says nothing writes to the table."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg orphans orders",
            "  lakehouse iceberg orphans orders --older-than 3d --delete --yes"})
public final class DeleteOrphansCommand implements Callable<Integer> {
    /** Younger than this, an unreferenced file may belong to a job still writing. */
    static final Duration RECENT = Duration.ofHours(1);

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "NAMESPACE.TABLE, or TABLE in the env's default namespace.")
    String table;

    @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "3d",
            description = "Only files last modified before now minus AGE (default: ${DEFAULT-VALUE}).")
    String olderThan;

    @Option(names = "--delete", description = "Delete the orphan files (default: only list them).")
    boolean delete;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed when stdin is not a terminal).")
    boolean yes;

    @Option(names = "--allow-recent", description = "Allow --delete with --older-than under 1h. Only when nothing writes to"
            + " the table: a file of a commit in progress would be deleted, and that commit would then point at a missing file.")
    boolean allowRecent;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Duration age = DurationOption.parse(olderThan, "--older-than");
        if (age.compareTo(RECENT) < 0) {
            if (delete && !allowRecent) {
                // a convert or compaction writes its files before it commits them: deleted meanwhile, the
                // commit still lands and the table points at files that are gone (Delta's VACUUM refuses too)
                throw LakehouseException.usage("--delete with --older-than " + olderThan + " could delete the files of a commit"
                        + " in progress, which would then point at missing files: use --older-than 1h or more, or add"
                        + " --allow-recent if nothing writes to the table now");
            }
            ctx.console().warn("--older-than " + olderThan + " is short: files of a commit still in progress may be listed");
        }
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            Table t = warehouse.load(table);
            Instant now = Instant.now();
            Orphans.Result result = Orphans.run(t, new Orphans.Options(age, false), now);
            if (delete && !result.orphans().isEmpty()) {
                ctx.confirm(yes, "delete " + result.orphans().size() + " orphan files of " + TableInspector.name(t));
                ctx.guard("delete orphan files of " + TableInspector.name(t));
                // what is referenced is read again: a commit made while the prompt waited may now use
                // a file that was listed (the cutoff stays the one the listing used)
                t.refresh();
                result = Orphans.run(t, new Orphans.Options(age, true), now);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("table", TableInspector.name(t));
            doc.put("location", t.location());
            doc.put("cutoff", result.cutoff());
            doc.put("orphan_files", result.orphans().size());
            doc.put("deleted", result.deleted());
            doc.put("young_unreferenced_files", result.youngUnreferenced());
            List<Map<String, Object>> files = result.orphans().stream().map(f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("location", f.location());
                m.put("size", f.size());
                m.put("modified", f.modified());
                return m;
            }).toList();
            doc.put("orphans", files);
            ctx.output().document(doc);
        }
        return 0;
    }
}
