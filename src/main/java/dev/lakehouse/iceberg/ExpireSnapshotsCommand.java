package dev.lakehouse.iceberg;

import dev.lakehouse.athena.AthenaStatements;
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

@Command(name = "expire",
        header = "Expire old snapshots and delete the files only they needed.",
        description = {
            "Removes snapshots committed before now minus --older-than, except the last --retain-last snapshots of"
                + " the current branch and snapshots that tags or branches still reference, then deletes the"
                + " manifest lists, manifests, data and delete files no remaining snapshot needs. Time travel to"
                + " an expired snapshot is no longer possible.",
            "",
            "Destructive: asks for confirmation on a terminal and needs --yes otherwise. --dry-run lists the"
                + " snapshots and counts the files that would go. Tables that do not own their files"
                + " (gc.enabled=false, e.g. made by 'snapshot') are refused."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg expire orders --older-than 7d --dry-run",
            "  lakehouse iceberg expire orders --older-than 7d --retain-last 10 --yes",
            "  lakehouse iceberg expire sales.orders --env prod --older-than 30d --yes \\",
            "    -o json"})
public final class ExpireSnapshotsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TABLE", description = "NAMESPACE.TABLE, or TABLE in the env's default namespace.")
    String table;

    @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "7d",
            description = "Expire snapshots older than this (default: ${DEFAULT-VALUE}; e.g. 12h, 30d).")
    String olderThan;

    @Option(names = "--retain-last", paramLabel = "N", defaultValue = "1",
            description = "Always keep the N most recent snapshots of the current branch (default: ${DEFAULT-VALUE}).")
    int retainLast;

    @Option(names = "--dry-run", description = "Show what would be expired and deleted; change nothing.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed when stdin is not a terminal).")
    boolean yes;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "local (default) or athena: VACUUM, with vacuum_max_snapshot_age_seconds and vacuum_min_snapshots_to_keep"
                    + " set from --older-than and --retain-last (Athena's VACUUM also removes orphan files older than that).")
    String engine;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --engine athena: stop waiting after this long (exit 4).")
    String timeout;

    @Option(names = "--allow-recent", description = "With --engine athena: allow --older-than under 1h. Only when nothing writes"
            + " to the table: VACUUM also deletes orphan files that old, and a file of a commit in progress is one until it commits.")
    boolean allowRecent;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        var age = DurationOption.parse(olderThan, "--older-than");
        Duration limit = DurationOption.positiveIfGiven(timeout, "--timeout");
        Options.positive(retainLast, "--retain-last");
        boolean athena = AthenaEngine.chosen(engine, ctx);
        if (athena && age.compareTo(DeleteOrphansCommand.RECENT) < 0 && !allowRecent) {
            // VACUUM also deletes orphan files older than vacuum_max_snapshot_age_seconds: a younger one may be
            // a file of a commit in progress (the reason 'iceberg orphans --delete' refuses under 1h)
            throw LakehouseException.usage("--engine athena with --older-than " + olderThan + ": Athena's VACUUM also deletes"
                    + " orphan files older than that, which could be the files of a commit in progress; use --older-than 1h"
                    + " or more, --engine local (it deletes no orphans), or --allow-recent if nothing writes to the table now");
        }
        try (Warehouse warehouse = Warehouse.open(ctx.environment())) {
            Table t = warehouse.load(table);
            if (athena) {
                Expiry.requireOwnsFiles(t); // VACUUM deletes the unreachable files and orphans as the local engine would
                var id = warehouse.identifier(table);
                var statements = AthenaStatements.expire(id.namespace().toString(), id.name(), age, retainLast);
                if (!dryRun) {
                    ctx.confirm(yes, "expire snapshots of " + id + " older than " + olderThan + " with Athena's VACUUM");
                }
                AthenaEngine.run(ctx, statements, dryRun, limit, "expire snapshots of " + id);
                return 0;
            }
            Instant now = Instant.now();
            var options = new Expiry.Options(age, retainLast, true);
            Expiry.Result result = Expiry.plan(t, options, now);
            if (!dryRun && !result.expired().isEmpty()) {
                ctx.confirm(yes, "expire " + result.expired().size() + " snapshots of " + TableInspector.name(t)
                        + " and delete " + result.files().count() + " files");
                ctx.guard("expire snapshots of " + TableInspector.name(t));
                result = Expiry.run(t, new Expiry.Options(age, retainLast, false), now);
            }
            ctx.output().document(document(t, result, dryRun));
            if (result.expired().isEmpty()) {
                ctx.console().info("nothing to expire in " + TableInspector.name(t) + ": every snapshot is newer than "
                        + result.cutoff() + ", among the last " + retainLast + ", or kept by a tag or branch");
            } else {
                ctx.console().info((dryRun ? "dry run: would expire " : "expired ") + result.expired().size()
                        + " snapshots" + (dryRun ? " and delete " + result.files().count() + " files; nothing was changed"
                        : ", deleted " + result.filesDeleted() + " files"));
            }
        }
        return 0;
    }

    /** dry_run is what was asked: with nothing to expire, a real run changes nothing either. */
    private static Map<String, Object> document(Table t, Expiry.Result r, boolean dryRun) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("table", TableInspector.name(t));
        doc.put("dry_run", dryRun);
        doc.put("cutoff", r.cutoff());
        doc.put("snapshots_expired", r.expired().size());
        doc.put("manifest_lists", r.files().manifestLists().size());
        doc.put("manifests", r.files().manifests().size());
        doc.put("data_files", r.files().dataFiles().size());
        doc.put("delete_files", r.files().deleteFiles().size());
        doc.put("files_to_delete", r.files().count()); // what a dry run tells a script: files_deleted stays 0 there
        doc.put("files_deleted", r.filesDeleted());
        List<Map<String, Object>> snapshots = r.expired().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("committed_at", s.committedAt());
            m.put("snapshot_id", s.snapshotId());
            m.put("operation", s.operation());
            return m;
        }).toList();
        doc.put("expired", snapshots);
        return doc;
    }
}
