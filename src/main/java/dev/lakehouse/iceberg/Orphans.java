package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.ByteSize;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Files under a table's location that no snapshot or metadata file references (left by failed or
 * killed writes). Only files older than the cutoff count: a younger one may belong to a commit in
 * progress, so it is never deleted.
 */
public final class Orphans {
    public record Options(Duration olderThan, boolean delete) {
    }

    public record OrphanFile(String location, ByteSize size, Instant modified) {
    }

    public record Result(Instant cutoff, List<OrphanFile> orphans, int youngUnreferenced, int deleted) {
    }

    private Orphans() {
    }

    public static Result run(Table table, Options options, Instant now) {
        if (options.delete() && !PropertyUtil.propertyAsBoolean(table.properties(), TableProperties.GC_ENABLED,
                TableProperties.GC_ENABLED_DEFAULT)) {
            throw LakehouseException.failed("Cannot delete orphan files of " + TableInspector.name(table)
                    + ": gc.enabled is false (the table may not own the files under its location)");
        }
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            throw LakehouseException.failed("Cannot list the files of " + TableInspector.name(table) + ": its FileIO ("
                    + table.io().getClass().getSimpleName() + ") cannot list a location");
        }
        Instant cutoff = now.minus(options.olderThan());
        Set<String> referenced = new ReachableFiles(table).all().all();
        List<OrphanFile> orphans = new ArrayList<>();
        int young = 0;
        for (FileInfo f : listing.listPrefix(Locations.folder(table.location()))) {
            if (referenced.contains(Locations.normalize(f.location()))) {
                continue;
            }
            Instant modified = Instant.ofEpochMilli(f.createdAtMillis());
            if (modified.isBefore(cutoff)) {
                orphans.add(new OrphanFile(f.location(), ByteSize.of(f.size()), modified));
            } else {
                young++;
            }
        }
        orphans.sort(Comparator.comparing(OrphanFile::location));
        int deleted = 0;
        if (options.delete()) {
            for (OrphanFile f : orphans) {
                table.io().deleteFile(f.location());
                deleted++;
            }
        }
        return new Result(cutoff, orphans, young, deleted);
    }
}
