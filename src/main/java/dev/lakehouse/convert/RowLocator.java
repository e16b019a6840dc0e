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
        List<FileScanTask> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = table.newScan().useSnapshot(snapshot.snapshotId())
                .filter(prune(keyColumns, keys)).ignoreResiduals().planFiles()) {
            planned.forEach(tasks::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the key columns of every data file, read on all cores (one reader, with its delete cache, per thread)
        int threads = Math.max(1, Math.min(tasks.size(), Runtime.getRuntime().availableProcessors()));
        List<java.util.concurrent.Callable<Map<List<Object>, List<Position>>>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            ScanTaskReader own = t == 0 ? reader : new ScanTaskReader(table);
            parts.add(() -> {
                Map<List<Object>, List<Position>> part = new HashMap<>();
                for (int i = first; i < tasks.size(); i += threads) {
                    FileScanTask task = tasks.get(i);
                    try (CloseableIterable<Record> rows = own.open(task, projection)) {
                        for (Record r : rows) {
                            Object[] values = new Object[n];
                            for (int k = 0; k < n; k++) {
                                values[k] = r.get(k);
                            }
                            List<Object> key = Arrays.asList(values);
                            if (keys.contains(key)) {
                                part.computeIfAbsent(key, x -> new ArrayList<>(1)).add(new Position(task.file(), (Long) r.get(n)));
                            }
                        }
                    }
                }
                return part;
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "locate-worker");
            th.setDaemon(true);
            return th;
        });
        try {
            for (var future : pool.invokeAll(parts)) {
                future.get().forEach((k, v) -> found.merge(k, v, (a, b) -> {
                    List<Position> all = new ArrayList<>(a);
                    all.addAll(b);
                    return all;
                }));
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return found;
    }

    /**
     * For a one-column key, files outside [min, max] of the keys are skipped. The order must be
     * Iceberg's, which wrote the files' bounds: for strings that is code-point order, not Java's UTF-16
     * compareTo (they disagree once a key holds a character above U+FFFF, and a wrongly skipped file
     * keeps the old row next to the new one). Keys of other types (doubles with NaN and -0.0, bytes,
     * times) are not pruned on.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Expression prune(List<String> keyColumns, Set<List<Object>> keys) {
        if (keyColumns.size() != 1) {
            return Expressions.alwaysTrue();
        }
        java.util.Comparator order = null;
        Object min = null;
        Object max = null;
        for (List<Object> k : keys) {
            Object v = k.get(0);
            java.util.Comparator kind = v instanceof CharSequence ? org.apache.iceberg.types.Comparators.charSequences()
                    : v instanceof Long || v instanceof Integer || v instanceof java.math.BigDecimal
                    ? java.util.Comparator.naturalOrder() : null;
            if (kind == null || (order != null && !(v.getClass().equals(min.getClass())))) {
                return Expressions.alwaysTrue();
            }
            order = kind;
            if (min == null || order.compare(v, min) < 0) {
                min = v;
            }
            if (max == null || order.compare(v, max) > 0) {
                max = v;
            }
        }
        if (min == null) {
            return Expressions.alwaysTrue();
        }
        String col = keyColumns.get(0);
        return Expressions.and(Expressions.greaterThanOrEqual(col, min), Expressions.lessThanOrEqual(col, max));
    }
}
