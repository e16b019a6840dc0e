package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import java.time.Duration;
import java.util.Set;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/** Tags and rollback: naming a snapshot, and making an earlier one current again. */
public final class SnapshotRefs {
    private SnapshotRefs() {
    }

    /** Creates (or with {@code replace}, moves) tag {@code name} on a snapshot (default: the current one). */
    public static SnapshotRef tag(Table table, String name, Long snapshotId, Duration retain, boolean replace) {
        Snapshot target = snapshotId == null ? table.currentSnapshot() : table.snapshot(snapshotId);
        if (target == null) {
            throw LakehouseException.failed(snapshotId == null
                    ? "Cannot tag " + TableInspector.name(table) + ": it has no snapshot yet"
                    : "Cannot tag " + TableInspector.name(table) + ": it has no snapshot " + snapshotId
                    + " (see: lakehouse iceberg snapshots " + TableInspector.name(table) + ")");
        }
        SnapshotRef existing = table.refs().get(name);
        if (existing != null && existing.isBranch()) {
            throw LakehouseException.failed("Cannot tag " + TableInspector.name(table) + " as '" + name + "': a branch has that name");
        }
        if (existing != null && !replace) {
            throw LakehouseException.failed("Cannot tag " + TableInspector.name(table) + " as '" + name
                    + "': the tag exists (on snapshot " + existing.snapshotId() + "); pass --replace to move it");
        }
        ManageSnapshots manage = table.manageSnapshots();
        if (existing != null) {
            manage.replaceTag(name, target.snapshotId());
        } else {
            manage.createTag(name, target.snapshotId());
        }
        if (retain != null) {
            // Iceberg counts a tag's max age from its snapshot's commit, not from the tagging: a month-old
            // snapshot tagged --retain 7d would go at the next expire. Keep it `retain` from now.
            long age = Math.max(0, System.currentTimeMillis() - target.timestampMillis());
            manage.setMaxRefAgeMs(name, Math.addExact(retain.toMillis(), age));
        }
        manage.commit();
        table.refresh();
        return table.refs().get(name);
    }

    /** The snapshot a rollback target names: a snapshot id, or a tag or branch. */
    public static Snapshot resolve(Table table, String to) {
        SnapshotRef ref = table.refs().get(to);
        if (ref != null) {
            return table.snapshot(ref.snapshotId());
        }
        try {
            Snapshot s = table.snapshot(Long.parseLong(to));
            if (s != null) {
                return s;
            }
        } catch (NumberFormatException notAnId) {
            // fall through to the error
        }
        Set<String> refs = table.refs().keySet();
        throw LakehouseException.failed("Cannot roll back " + TableInspector.name(table) + " to '" + to
                + "': no such snapshot id or tag (tags and branches: " + String.join(", ", refs.stream().sorted().toList())
                + "; snapshots: lakehouse iceberg snapshots " + TableInspector.name(table) + ")");
    }

    public record Rollback(Long from, long to, boolean ancestor) {
    }

    /**
     * Makes {@code target} the current snapshot: a rollback when it is an ancestor of the current
     * snapshot, else the current snapshot is set to it. Later snapshots stay (until expired).
     */
    public static Rollback rollback(Table table, Snapshot target, boolean dryRun) {
        return rollback(table, target, dryRun, null);
    }

    /**
     * As {@link #rollback(Table, Snapshot, boolean)}, but only from {@code confirmedCurrent}, the
     * snapshot the user saw as current when confirming: a commit that came in meanwhile would be
     * rolled back with the rest, unseen. The table is read again first; a change refuses.
     */
    public static Rollback rollback(Table table, Snapshot target, boolean dryRun, Long confirmedCurrent) {
        if (confirmedCurrent != null) {
            table.refresh();
            Snapshot now = table.currentSnapshot();
            if (now == null || now.snapshotId() != confirmedCurrent) {
                throw LakehouseException.failed("Table " + TableInspector.name(table) + " changed while the rollback was"
                        + " confirmed: its current snapshot is now " + (now == null ? "none" : now.snapshotId()) + ", not "
                        + confirmedCurrent + "; nothing was rolled back, run it again");
            }
        }
        Snapshot current = table.currentSnapshot();
        boolean ancestor = current != null && SnapshotUtil.isAncestorOf(table, current.snapshotId(), target.snapshotId());
        Rollback plan = new Rollback(current == null ? null : current.snapshotId(), target.snapshotId(), ancestor);
        if (dryRun || (current != null && current.snapshotId() == target.snapshotId())) {
            return plan;
        }
        ManageSnapshots manage = table.manageSnapshots();
        if (ancestor) {
            manage.rollbackTo(target.snapshotId());
        } else {
            manage.setCurrentSnapshot(target.snapshotId());
        }
        manage.commit();
        return plan;
    }
}
