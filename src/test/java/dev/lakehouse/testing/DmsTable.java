package dev.lakehouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.io.api.Binary;

/**
 * Writes a table's raw files the way AWS DMS does (LOAD files without Op, CDC files with Op,
 * an optional timestamp column before the data columns and a change-sequence column after them),
 * and keeps an independent model of what the table must hold: the true history applied in commit
 * order, which the file names and timestamps may deliberately disguise.
 */
public final class DmsTable {
    /** A data column: name, Parquet type, and its Iceberg type name for tables.yaml (CSV). */
    public record Col(String name, String parquet, String icebergType) {
    }

    public static final List<Col> ORDERS = List.of(
            new Col("id", "int64", "long"),
            new Col("customer", "binary (STRING)", "string"),
            new Col("amount", "binary (DECIMAL(38,10))", "decimal(38,10)"),
            new Col("placed_at", "int64 (TIMESTAMP(MICROS,false))", "timestamp"));

    private final Path folder;
    private final List<Col> columns;
    private final String tsColumn;
    private final String seqColumn;
    /** key → row (column values in order); the expected table. */
    private final Map<Object, Object[]> model = new TreeMap<>();

    public DmsTable(Path folder, List<Col> columns, String tsColumn, String seqColumn) {
        this.folder = folder;
        this.columns = columns;
        this.tsColumn = tsColumn;
        this.seqColumn = seqColumn;
    }

    /** A change: op I/U/D, row values (a key-only D may leave the rest null), commit time, sequence. */
    public record Change(char op, Object[] row, String commitTs, String seq) {
    }

    public static Change insert(Object... row) {
        return new Change('I', row, null, null);
    }

    public static Change update(Object... row) {
        return new Change('U', row, null, null);
    }

    public static Change delete(Object... row) {
        return new Change('D', row, null, null);
    }

    public static Change at(Change c, String commitTs, String seq) {
        return new Change(c.op(), c.row(), commitTs, seq);
    }

    public Path folder() {
        return folder;
    }

    // ------------------------------------------------------------------ the model

    /** Applies a change to the model, as the source database did (call in true commit order). */
    public DmsTable happened(Change c) {
        switch (c.op()) {
            case 'D' -> model.remove(c.row()[0]);
            default -> model.put(c.row()[0], c.row());
        }
        return this;
    }

    public DmsTable happened(List<Change> changes) {
        changes.forEach(this::happened);
        return this;
    }

    /** Replaces the model (what a reload's full load reads from the source). */
    public DmsTable reloaded(List<Object[]> rows) {
        model.clear();
        rows.forEach(r -> model.put(r[0], r));
        return this;
    }

    /** The expected rows, as Iceberg's generic records print their values: (v1, v2, ...), sorted. */
    public List<String> expected() {
        List<String> rows = new ArrayList<>();
        for (Object[] r : model.values()) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < r.length; i++) {
                b.append(i == 0 ? "" : ", ").append(r[i]);
            }
            rows.add(b.append(')').toString());
        }
        rows.sort(null);
        return rows;
    }

    // ------------------------------------------------------------------ Parquet files

    private String schema(boolean withOp) {
        StringBuilder s = new StringBuilder("message dms {");
        if (withOp) {
            s.append(" optional binary Op (STRING);");
        }
        if (tsColumn != null) {
            s.append(" optional binary ").append(tsColumn).append(" (STRING);");
        }
        for (Col c : columns) {
            s.append(" optional ").append(c.parquet().replaceFirst("^(\\w+)", "$1 " + c.name())).append(';');
        }
        if (seqColumn != null) {
            s.append(" optional binary ").append(seqColumn).append(" (STRING);");
        }
        return s.append(" }").toString();
    }

    private Map<String, Object> encode(Object[] row) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < columns.size() && i < row.length; i++) {
            Object v = row[i];
            if (v instanceof BigDecimal d) {
                v = Binary.fromConstantByteArray(d.unscaledValue().toByteArray());
            } else if (v instanceof LocalDateTime t) {
                v = ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t);
            }
            if (v != null) {
                m.put(columns.get(i).name(), v);
            }
        }
        return m;
    }

    /** A full-load file (no Op column), rows with the transfer time in the timestamp column. */
    public Path load(String relative, String transferTs, List<Object[]> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object[] r : rows) {
            Map<String, Object> m = encode(r);
            if (tsColumn != null && transferTs != null) {
                m.put(tsColumn, transferTs);
            }
            out.add(m);
        }
        return PlainParquet.write(folder.resolve(relative), schema(false), out);
    }

    /** A CDC file (Op first). */
    public Path cdc(String relative, List<Change> changes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Change c : changes) {
            Map<String, Object> m = encode(c.row());
            m.put("Op", String.valueOf(c.op()));
            if (tsColumn != null && c.commitTs() != null) {
                m.put(tsColumn, c.commitTs());
            }
            if (seqColumn != null && c.seq() != null) {
                m.put(seqColumn, c.seq());
            }
            out.add(m);
        }
        return PlainParquet.write(folder.resolve(relative), schema(true), out);
    }

    // ------------------------------------------------------------------ CSV files

    /**
     * A CSV file as DMS writes it: Op (CDC only) first, then the timestamp column, data columns and
     * the change sequence; a header only with AddColumnName; NULL as {@code nullValue} (or empty).
     */
    public Path csv(String relative, boolean withOp, boolean header, String nullValue, boolean gzip, List<Change> changes) {
        StringBuilder s = new StringBuilder();
        if (header) {
            List<String> names = new ArrayList<>();
            if (withOp) {
                names.add("Op");
            }
            if (tsColumn != null) {
                names.add(tsColumn);
            }
            columns.forEach(c -> names.add(c.name()));
            if (seqColumn != null) {
                names.add(seqColumn);
            }
            s.append(String.join(",", names)).append('\n');
        }
        for (Change c : changes) {
            List<String> fields = new ArrayList<>();
            if (withOp) {
                fields.add(String.valueOf(c.op()));
            }
            if (tsColumn != null) {
                fields.add(c.commitTs() == null ? "" : c.commitTs());
            }
            for (int i = 0; i < columns.size(); i++) {
                Object v = i < c.row().length ? c.row()[i] : null;
                fields.add(v == null ? (nullValue == null ? "" : nullValue) : csvText(v));
            }
            if (seqColumn != null) {
                fields.add(c.seq() == null ? "" : c.seq());
            }
            s.append(String.join(",", fields)).append('\n');
        }
        Path file = folder.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
                    gz.write(bytes);
                }
                bytes = buf.toByteArray();
            }
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csvText(Object v) {
        String t = v instanceof LocalDateTime d ? d.toString().replace('T', ' ') : v instanceof BigDecimal b ? b.toPlainString() : v.toString();
        if (t.isEmpty() || t.contains(",") || t.contains("\"") || t.contains("\n")) {
            return '"' + t.replace("\"", "\"\"") + '"';
        }
        return t;
    }

    /** The tables.yaml entry of this table (CSV needs the columns and their types). */
    public String yaml(String source, String extra) {
        StringBuilder y = new StringBuilder("  " + source + ":\n    key: [" + columns.get(0).name() + "]\n");
        y.append("    columns:\n");
        for (Col c : columns) {
            y.append("      - {name: ").append(c.name()).append(", type: \"").append(c.icebergType()).append("\"}\n");
        }
        if (!extra.isBlank()) {
            extra.lines().forEach(l -> y.append("    ").append(l).append('\n'));
        }
        return y.toString();
    }

    public static Object[] row(Object... values) {
        return values;
    }

    /** A timestamp value in the column's Java type. */
    public static LocalDateTime ts(String iso) {
        return LocalDateTime.parse(iso);
    }

    static long micros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000;
    }

    /** Model rows keyed in insertion order, for tests that need them. */
    public Map<Object, Object[]> model() {
        return new LinkedHashMap<>(model);
    }
}
