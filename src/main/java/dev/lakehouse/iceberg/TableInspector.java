package dev.lakehouse.iceberg;

import dev.lakehouse.output.ByteSize;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SortField;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/** Read-only views of a table: describe, history, snapshots, files. */
public final class TableInspector {
    private TableInspector() {
    }

    /** Everything {@code describe} shows, as a nested document. */
    public static Map<String, Object> describe(Table table) {
        Snapshot current = table.currentSnapshot();
        TableFiles.Stats stats = TableFiles.stats(table, current);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("table", name(table));
        doc.put("location", table.location());
        doc.put("format_version", formatVersion(table));
        doc.put("current_snapshot_id", current == null ? null : current.snapshotId());
        doc.put("last_commit", current == null ? null : Instant.ofEpochMilli(current.timestampMillis()));
        doc.put("snapshots", count(table.snapshots()));
        doc.put("records_in_data_files", stats.records());
        doc.put("data_files", stats.dataFiles());
        doc.put("data_size", ByteSize.of(stats.dataBytes()));
        doc.put("average_data_file_size", ByteSize.of(stats.averageDataFileSize()));
        doc.put("small_data_files", stats.smallFiles());
        doc.put("small_file_threshold", ByteSize.of(TableFiles.smallFileThreshold(table)));
        doc.put("position_delete_files", stats.positionDeleteFiles());
        doc.put("equality_delete_files", stats.equalityDeleteFiles());
        doc.put("delete_records", stats.deleteRecords());
        doc.put("delete_size", ByteSize.of(stats.deleteBytes()));

        Set<Integer> identifiers = table.schema().identifierFieldIds();
        List<Map<String, Object>> schema = new ArrayList<>();
        for (Types.NestedField f : table.schema().columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("id", f.fieldId());
            col.put("name", f.name());
            col.put("type", f.type().toString());
            col.put("required", f.isRequired());
            col.put("identifier", identifiers.contains(f.fieldId()));
            schema.add(col);
        }
        doc.put("schema", schema);

        List<Map<String, Object>> partitioning = new ArrayList<>();
        for (PartitionField f : table.spec().fields()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", f.name());
            p.put("transform", f.transform().toString());
            p.put("source", table.schema().findColumnName(f.sourceId()));
            partitioning.add(p);
        }
        doc.put("partition_spec", partitioning);

        List<Map<String, Object>> sortOrder = new ArrayList<>();
        for (SortField f : table.sortOrder().fields()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("column", table.schema().findColumnName(f.sourceId()));
            s.put("transform", f.transform().toString());
            s.put("direction", f.direction().toString().toLowerCase(java.util.Locale.ROOT));
            s.put("null_order", f.nullOrder().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            sortOrder.add(s);
        }
        doc.put("sort_order", sortOrder);

        List<Map<String, Object>> refs = new ArrayList<>();
        new TreeMap<>(table.refs()).forEach((name, ref) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("type", ref.isBranch() ? "branch" : "tag");
            r.put("snapshot_id", ref.snapshotId());
            r.put("max_ref_age", ref.maxRefAgeMs() == null ? null : java.time.Duration.ofMillis(ref.maxRefAgeMs()));
            refs.add(r);
        });
        doc.put("refs", refs);
        doc.put("properties", new TreeMap<>(table.properties()));
        return doc;
    }

    /** NAMESPACE.TABLE, without the catalog's name that Iceberg puts in front. */
    public static String name(Table table) {
        String full = table.name();
        int dot = full.indexOf('.');
        return dot > 0 && full.indexOf('.', dot + 1) > 0 ? full.substring(dot + 1) : full;
    }

    public static int formatVersion(Table table) {
        return table instanceof HasTableOperations ops ? ops.operations().current().formatVersion() : 2;
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }

    public record HistoryRow(Instant madeCurrentAt, long snapshotId, Long parentId, boolean isCurrentAncestor) {
    }

    /** The table's snapshot log: when each snapshot became current (rollbacks show here). */
    public static List<HistoryRow> history(Table table) {
        Set<Long> ancestors = table.currentSnapshot() == null ? Set.of()
                : Set.copyOf(SnapshotUtil.ancestorIds(table.currentSnapshot(), table::snapshot));
        List<HistoryRow> rows = new ArrayList<>();
        for (HistoryEntry e : table.history()) {
            Snapshot s = table.snapshot(e.snapshotId());
            rows.add(new HistoryRow(Instant.ofEpochMilli(e.timestampMillis()), e.snapshotId(),
                    s == null ? null : s.parentId(), ancestors.contains(e.snapshotId())));
        }
        return rows;
    }

    public record SnapshotRow(Instant committedAt, long snapshotId, Long parentId, long sequenceNumber,
                              String operation, String refs, Long addedRecords, Long deletedRecords,
                              Long totalRecords, Long totalDataFiles, Long totalDeleteFiles,
                              Map<String, String> summary) {
    }

    /** Every snapshot the table still has, oldest first, with the refs (tags, branches) on it. */
    public static List<SnapshotRow> snapshots(Table table) {
        Map<Long, List<String>> refsBySnapshot = new TreeMap<>();
        for (Map.Entry<String, SnapshotRef> e : table.refs().entrySet()) {
            refsBySnapshot.computeIfAbsent(e.getValue().snapshotId(), k -> new ArrayList<>()).add(e.getKey());
        }
        List<SnapshotRow> rows = new ArrayList<>();
        for (Snapshot s : table.snapshots()) {
            Map<String, String> summary = s.summary() == null ? Map.of() : s.summary();
            rows.add(new SnapshotRow(Instant.ofEpochMilli(s.timestampMillis()), s.snapshotId(), s.parentId(),
                    s.sequenceNumber(), s.operation(),
                    refsBySnapshot.getOrDefault(s.snapshotId(), List.of()).stream().sorted().collect(Collectors.joining(",")),
                    number(summary, "added-records"), number(summary, "deleted-records"),
                    number(summary, "total-records"), number(summary, "total-data-files"),
                    number(summary, "total-delete-files"), new TreeMap<>(summary)));
        }
        return rows;
    }

    private static Long number(Map<String, String> summary, String key) {
        String v = summary.get(key);
        return v == null ? null : Long.valueOf(v);
    }

    public record FileRow(String content, String path, String partition, long records, ByteSize size, int specId,
                          Long dataSequenceNumber, List<Integer> equalityIds) {
    }

    /** The live data and delete files of a snapshot (default: the current one). */
    public static List<FileRow> files(Table table, Snapshot snapshot) {
        List<FileRow> rows = new ArrayList<>();
        TableFiles.forEach(table, snapshot, f -> rows.add(row(table, f)));
        return rows;
    }

    private static FileRow row(Table table, ContentFile<?> f) {
        String partition = table.specs().get(f.specId()).isUnpartitioned() ? ""
                : table.specs().get(f.specId()).partitionToPath(f.partition());
        return new FileRow(TableFiles.kind(f), f.location(), partition, f.recordCount(), ByteSize.of(f.fileSizeInBytes()),
                f.specId(), f.dataSequenceNumber(),
                f.content() == FileContent.EQUALITY_DELETES ? f.equalityFieldIds() : null);
    }
}
