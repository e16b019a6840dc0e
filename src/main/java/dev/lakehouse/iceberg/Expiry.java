package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Expires snapshots older than a cutoff, keeping the last N of the current branch and everything
 * tags and branches still reference (Iceberg's {@code table.expireSnapshots()}), and deletes the
 * files only the expired snapshots needed. The dry run computes the same plan without committing.
 */
public final class Expiry {
    public record Options(Duration olderThan, int retainLast, boolean dryRun) {
    }

    public record ExpiredSnapshot(Instant committedAt, long snapshotId, String operation) {
    }

    public record Result(Instant cutoff, List<ExpiredSnapshot> expired, ReachableFiles.Files files, int filesDeleted,
                         boolean dryRun) {
    }

    private Expiry() {
    }

    /** What would go, without changing anything. */
    public static Result plan(Table table, Options options, Instant now) {
        return run(table, new Options(options.olderThan(), options.retainLast(), true), now);
    }

    /** Refuses a table that may not own its files (gc.enabled=false): expiring would delete them. */
    static void requireOwnsFiles(Table table) {
        if (!PropertyUtil.propertyAsBoolean(table.properties(), TableProperties.GC_ENABLED, TableProperties.GC_ENABLED_DEFAULT)) {
            throw LakehouseException.failed("Cannot expire snapshots of " + TableInspector.name(table) + ": gc.enabled is"
                    + " false (its files may belong to another table or location, e.g. a table made by 'snapshot');"
                    + " set gc.enabled=true only if the table owns its files");
        }
    }

    public static Result run(Table table, Options options, Instant now) {
        Instant cutoff = now.minus(options.olderThan());
        requireOwnsFiles(table);
        ExpireSnapshots expire = table.expireSnapshots()
                .expireOlderThan(cutoff.toEpochMilli())
                .retainLast(options.retainLast());
        List<Snapshot> expiring;
        try {
            expiring = expire.apply();
        } catch (ValidationException e) {
            throw LakehouseException.failed("Cannot expire snapshots of " + TableInspector.name(table) + ": " + e.getMessage(), e);
        }
        Set<Long> expiringIds = new HashSet<>();
        List<ExpiredSnapshot> rows = new ArrayList<>();
        for (Snapshot s : expiring) {
            expiringIds.add(s.snapshotId());
            rows.add(new ExpiredSnapshot(Instant.ofEpochMilli(s.timestampMillis()), s.snapshotId(), s.operation()));
        }
        List<Snapshot> kept = new ArrayList<>();
        table.snapshots().forEach(s -> {
            if (!expiringIds.contains(s.snapshotId())) {
                kept.add(s);
            }
        });
        ReachableFiles reachable = new ReachableFiles(table);
        ReachableFiles.Files goes = reachable.of(expiring).minus(reachable.of(kept));
        if (options.dryRun() || expiring.isEmpty()) {
            return new Result(cutoff, rows, goes, 0, options.dryRun());
        }
        AtomicInteger deleted = new AtomicInteger();
        expire.deleteWith(location -> {
            table.io().deleteFile(location);
            deleted.incrementAndGet();
        }).commit();
        return new Result(cutoff, rows, goes, deleted.get(), false);
    }
}
