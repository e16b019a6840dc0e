package dev.lakehouse.query;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Types;

/**
 * The identity-partition values of an imported table's files, read as Iceberg's reader reads them:
 * for a file whose spec has an identity partition on a column, the column is the value the import
 * recorded for the file, whatever the file holds (a Hive layout's files often hold nothing).
 * DuckDB's own reading of {@code col=value} folders differs: 'null' reads NULL, '007' reads 7, and
 * __HIVE_DEFAULT_PARTITION__ reads as that text.
 */
final class PartitionConstants {
    /** The columns some file has a constant for, in table order. */
    private final List<Types.NestedField> fields;
    /** Per file: for each of {@link #fields}, whether it has a constant and the value as text. */
    private final Map<String, Object[]> rows;

    private PartitionConstants(List<Types.NestedField> fields, Map<String, Object[]> rows) {
        this.fields = fields;
        this.rows = rows;
    }

    /** The constants of the planned files for the top-level columns of {@code columns}; empty when none. */
    static PartitionConstants of(Table table, List<IcebergViews.PlannedFile> files, Schema columns) {
        Map<Integer, Types.NestedField> byId = new LinkedHashMap<>();
        for (Types.NestedField c : columns.columns()) {
            byId.put(c.fieldId(), c);
        }
        Map<Integer, Types.NestedField> used = new LinkedHashMap<>();
        Map<String, Map<Integer, String[]>> perFile = new LinkedHashMap<>();
        for (IcebergViews.PlannedFile planned : files) {
            PartitionSpec spec = table.specs().get(planned.file().specId());
            Map<Integer, String[]> values = new LinkedHashMap<>();
            for (int i = 0; spec != null && i < spec.fields().size(); i++) {
                PartitionField field = spec.fields().get(i);
                Types.NestedField column = byId.get(field.sourceId());
                if (column == null || !field.transform().isIdentity() || !column.type().isPrimitiveType()) {
                    continue;
                }
                used.put(column.fieldId(), column);
                values.put(column.fieldId(), new String[] {text(column, planned.file().partition().get(i, Object.class))});
            }
            perFile.put(planned.file().location(), values);
        }
        List<Types.NestedField> fields = byId.values().stream().filter(c -> used.containsKey(c.fieldId())).toList();
        Map<String, Object[]> rows = new LinkedHashMap<>();
        perFile.forEach((file, values) -> {
            Object[] row = new Object[1 + 2 * fields.size()];
            row[0] = file;
            for (int i = 0; i < fields.size(); i++) {
                String[] value = values.get(fields.get(i).fieldId());
                row[1 + 2 * i] = value != null;
                row[2 + 2 * i] = value == null ? null : value[0];
            }
            rows.put(file, row);
        });
        return new PartitionConstants(fields, rows);
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /** The DDL of the table of values as text, which {@link #typed} makes typed. */
    String textTable(String name) {
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TABLE " + name + " (data_file VARCHAR");
        for (int i = 0; i < fields.size(); i++) {
            sql.append(", has_").append(i).append(" BOOLEAN, v_").append(i).append(" VARCHAR");
        }
        return sql.append(')').toString();
    }

    /** The rows of the text table: file, then (has, text) per column. */
    List<Object[]> textRows() {
        return new ArrayList<>(rows.values());
    }

    /** The typed table, made from the text one once, so no value is cast per row of data. */
    String typed(String name, String textTable) {
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TABLE " + name + " AS SELECT data_file");
        for (int i = 0; i < fields.size(); i++) {
            Types.NestedField f = fields.get(i);
            String value = switch (f.type().typeId()) {
                case BINARY, FIXED -> "from_base64(v_" + i + ")";
                default -> "CAST(v_" + i + " AS " + DuckTypes.of(f.type()) + ")";
            };
            sql.append(", has_").append(i).append(", ").append(value).append(" AS v_").append(i);
        }
        return sql.append(" FROM ").append(textTable).toString();
    }

    /**
     * {@code read} (which has the file name column, {@link IcebergViews#FILE_NAME}) with each constant column replaced by the file's
     * value where it has one; a column no file holds ({@code present} lacks it) is added. The
     * columns it now has are put in {@code present}.
     */
    String wrap(String read, String typedTable, Map<String, String> present) {
        List<String> replaced = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            Types.NestedField f = fields.get(i);
            String name = DuckTypes.quote(f.name());
            String value = "CASE WHEN __lh_p.has_" + i + " THEN __lh_p.v_" + i + " ELSE "
                    + (present.containsKey(f.name()) ? "CAST(__lh_f." + name + " AS " + DuckTypes.of(f.type()) + ")"
                    : IcebergViews.initialDefault(f)) + " END AS " + name;
            (present.containsKey(f.name()) ? replaced : added).add(value);
            present.put(f.name(), DuckTypes.of(f.type()));
        }
        return "(SELECT __lh_f.*" + (replaced.isEmpty() ? "" : " REPLACE (" + String.join(", ", replaced) + ")")
                + added.stream().map(a -> ", " + a).collect(Collectors.joining()) + " FROM " + read + " __lh_f LEFT JOIN "
                + typedTable + " __lh_p ON __lh_p.data_file = __lh_f.__lh_file)";
    }

    /** A partition value as text DuckDB casts back to the column's type (binary as base64); null stays null. */
    @SuppressWarnings("unchecked")
    private static String text(Types.NestedField column, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return Base64.getEncoder().encodeToString(copy);
        }
        return ((Transform<Object, Object>) (Object) Transforms.identity()).toHumanString(column.type(), value);
    }
}
