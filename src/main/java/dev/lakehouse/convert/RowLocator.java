package dev.lakehouse.convert;

import dev.lakehouse.iceberg.ScanTaskReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * Finds where the live rows with given keys are: data file and row position, read from the key
 * columns only, with the table's existing deletes applied. Files whose key statistics rule the
 * keys out are not read.
 */
final class RowLocator {
    record Position(DataFile file, long pos) {
    }

    private RowLocator() {
    }

    static Map<List<Object>, List<Position>> locate(Table table, Snapshot snapshot, List<String> keyColumns,
                                                   Set<List<Object>> keys, ScanTaskReader reader) {
        Map<List<Object>, List<Position>> found = new HashMap<>();
        if (snapshot == null || keys.isEmpty()) {
            return found;
        }
        List<Types.NestedField> fields = new ArrayList<>();
        for (String k : keyColumns) {
            fields.add(table.schema().findField(k));
        }
        fields.add(MetadataColumns.ROW_POSITION);
        Schema projection = new Schema(fields);
        int n = keyColumns.size();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId())
                .filter(prune(keyColumns, keys)).ignoreResiduals().planFiles()) {
            for (FileScanTask task : tasks) {
                try (CloseableIterable<Record> rows = reader.open(task, projection)) {
                    for (Record r : rows) {
                        Object[] values = new Object[n];
                        for (int i = 0; i < n; i++) {
                            values[i] = r.get(i);
                        }
                        List<Object> key = Arrays.asList(values);
                        if (keys.contains(key)) {
                            found.computeIfAbsent(key, k -> new ArrayList<>(1)).add(new Position(task.file(), (Long) r.get(n)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** For a one-column key of comparable values, files outside [min, max] of the keys are skipped. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Expression prune(List<String> keyColumns, Set<List<Object>> keys) {
        if (keyColumns.size() != 1) {
            return Expressions.alwaysTrue();
        }
        Comparable min = null;
        Comparable max = null;
        for (List<Object> k : keys) {
            if (!(k.get(0) instanceof Comparable c) || k.get(0) instanceof java.time.temporal.Temporal) {
                return Expressions.alwaysTrue();
            }
            if (min == null || c.compareTo(min) < 0) {
                min = c;
            }
            if (max == null || c.compareTo(max) > 0) {
                max = c;
            }
        }
        if (min == null) {
            return Expressions.alwaysTrue();
        }
        String col = keyColumns.get(0);
        return Expressions.and(Expressions.greaterThanOrEqual(col, min), Expressions.lessThanOrEqual(col, max));
    }
}
