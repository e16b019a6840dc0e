package dev.lakehouse.iceberg;

import dev.lakehouse.athena.AthenaStatements;
import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.DurationOption;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.output.ByteSize;
import dev.lakehouse.output.Columns;
import dev.lakehouse.output.Progress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compact",
        header = "Bin-pack small data files, applying deletes, so reads open fewer files and no delete files.",
        description = {
            "Rewrites data files smaller than 75%% of the target size (or larger than 180%%), and every data file"
                + " that has delete files, into files of about --target-size, per partition. The rewritten rows have"
                + " their position and equality deletes applied, so the new files need none; delete files no longer"
                + " needed are dropped in the same commit. A partition needs --min-input-files candidates (or enough"
                + " bytes for a whole target file, or a file with deletes) to be rewritten.",
            "",
            "One atomic commit, validated against the snapshot the plan started from: rows appended meanwhile are"
                + " kept; a concurrent delete touching the rewritten files makes compact discard its files and"
                + " re-plan (--max-attempts), else fail with the table unchanged. Progress goes to stderr."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg compact orders --dry-run",
            "  lakehouse iceberg compact orders --target-size 256MB",
            "  lakehouse iceberg compact sales.orders --env dev --where \"region = 'eu'\""})
public final class CompactTableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "NAMESPACE.TABLE, or TABLE in the env's default namespace.")
    String table;

    @Option(names = "--target-size", paramLabel = "SIZE",
            description = "Target data file size, e.g. 512MB (default: the table's write.target-file-size-bytes).")
    String targetSize;

    @Option(names = "--where", paramLabel = "FILTER",
            description = "Only files that may hold matching rows, e.g. \"region = 'eu' AND day >= '2024-06-01'\".")
    String where;

    @Option(names = "--min-input-files", paramLabel = "N", defaultValue = "5",
            description = "Smallest number of candidate files worth rewriting in a partition (default: ${DEFAULT-VALUE}).")
    int minInputFiles;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "Re-plans after a conflicting concurrent change, up to this many attempts (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--dry-run", description = "Print the plan (groups, files, bytes; with Athena, the statements) and change nothing.")
    boolean dryRun;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "local (in this process, default) or athena (Athena's OPTIMIZE ... REWRITE DATA USING BIN_PACK: scales"
                    + " past one machine, billed per TB scanned).")
    String engine;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --engine athena: stop waiting after this long (exit 4).")
    String timeout;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Duration limit = DurationOption.positiveIfGiven(timeout, "--timeout");
        long target = targetSize == null ? 0 : Options.size(targetSize, "--target-size");
        Options.positive(minInputFiles, "--min-input-files");
        Options.positive(maxAttempts, "--max-attempts");
        boolean athena = AthenaEngine.chosen(engine, ctx);
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            Table t = warehouse.load(table);
            var filter = Filters.parse(where, t.schema(), "--where");
            if (athena) {
                var id = warehouse.identifier(table);
                var statements = AthenaStatements.compact(id.namespace().toString(), id.name(),
                        targetSize == null ? null : target, where);
                AthenaEngine.run(ctx, statements, dryRun, limit, "compact " + id);
                return 0;
            }
            if (!dryRun) {
                ctx.guard("compact " + TableInspector.name(t));
            }
            Compaction.Result r;
            try (Progress progress = new Progress(ctx.console(), "compacting " + TableInspector.name(t), 0, "files")) {
                r = new Compaction(t, progress).run(new Compaction.Options(target, filter, minInputFiles, dryRun, maxAttempts));
            }
            if (dryRun) {
                ctx.output().table(r.plan(), Columns.of(Compaction.GroupPlan.class)
                        .add("partition", Compaction.GroupPlan::partition)
                        .add("files", Compaction.GroupPlan::files)
                        .add("size", g -> ByteSize.of(g.bytes()))
                        .add("delete_files", Compaction.GroupPlan::deleteFiles)
                        .add("expected_output_files", Compaction.GroupPlan::expectedOutputFiles));
                ctx.console().info("dry run: would rewrite " + r.planFiles() + " files (" + ByteSize.of(r.planBytes())
                        + ") in " + r.plan().size() + " groups; nothing was changed");
                return 0;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("table", TableInspector.name(t));
            out.put("groups", r.plan().size());
            out.put("files_rewritten", r.filesRewritten());
            out.put("size_rewritten", ByteSize.of(r.bytesRewritten()));
            out.put("files_added", r.filesAdded());
            out.put("size_added", ByteSize.of(r.bytesAdded()));
            out.put("delete_files_removed", r.deleteFilesRemoved());
            out.put("snapshot_id", r.snapshotId());
            out.put("attempts", r.attempts());
            ctx.output().detail(out);
        }
        return 0;
    }
}
