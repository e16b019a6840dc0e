package dev.lakehouse.convert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;

/**
 * The last change per key of a batch of CDC rows. Later wins: by change sequence when both rows
 * have one, else by apply position (file order, then row order). Only the last change matters for
 * the table: an upsert (I or U: the row image) or a delete.
 */
final class ChangeSet {
    record Change(char op, GenericRecord row, String sequence, long position) {
        boolean isDelete() {
            return op == 'D';
        }
    }

    private final int[] keyPositions;
    private final Map<List<Object>, Change> changes = new HashMap<>();

    ChangeSet(Schema table, List<String> keyColumns) {
        this.keyPositions = keyPositions(table, keyColumns);
    }

    static int[] keyPositions(Schema table, List<String> keyColumns) {
        int[] positions = new int[keyColumns.size()];
        List<Types.NestedField> columns = table.columns();
        for (int i = 0; i < positions.length; i++) {
            positions[i] = columns.indexOf(table.findField(keyColumns.get(i)));
        }
        return positions;
    }

    /** The key of a row in the table schema (values of the key columns, in key order). */
    List<Object> key(GenericRecord row) {
        Object[] values = new Object[keyPositions.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(keyPositions[i]);
        }
        return Arrays.asList(values);
    }

    /** Adds a change; returns false when its key has a NULL (the caller reports it). */
    boolean add(RawRow r, long position) {
        List<Object> key = key(r.row());
        if (key.contains(null)) {
            return false;
        }
        Change candidate = new Change(r.op(), r.row(), r.sequence(), position);
        changes.merge(key, candidate, (old, neu) -> later(neu, old) ? neu : old);
        return true;
    }

    private static boolean later(Change a, Change b) {
        if (a.sequence() != null && b.sequence() != null) {
            int c = a.sequence().compareTo(b.sequence());
            if (c != 0) {
                return c > 0;
            }
        }
        return a.position() > b.position();
    }

    int size() {
        return changes.size();
    }

    Set<List<Object>> keys() {
        return changes.keySet();
    }

    Collection<Map.Entry<List<Object>, Change>> entries() {
        return changes.entrySet();
    }

    List<GenericRecord> upserts() {
        List<GenericRecord> rows = new ArrayList<>();
        for (Change c : changes.values()) {
            if (!c.isDelete()) {
                rows.add(c.row());
            }
        }
        return rows;
    }

    void clear() {
        changes.clear();
    }
}
