package dev.lakehouse.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes command results to stdout in the chosen format. Every command prints through here, so a
 * result looks the same in every command and scripts get stable JSON field names.
 */
public final class Output {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    /** Indented, one array element per line: readable, and diff- and grep-friendly. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

    private final OutputFormat format;
    private final PrintWriter out;

    public Output(OutputFormat format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    public OutputFormat format() {
        return format;
    }

    /** Many rows: a table, a JSON array of objects, or CSV rows. */
    public <T> void table(Collection<T> rows, Columns<T> columns) {
        var cols = columns.list(format);
        switch (format) {
            case json -> {
                List<Map<String, Object>> objects = new ArrayList<>();
                for (T row : rows) {
                    Map<String, Object> object = new LinkedHashMap<>();
                    for (var c : cols) {
                        object.put(c.key(), jsonValue(c.value().apply(row)));
                    }
                    objects.add(object);
                }
                writeJson(objects);
            }
            case csv -> {
                out.println(cols.stream().map(c -> csvField(c.key())).collect(Collectors.joining(",")));
                for (T row : rows) {
                    out.println(cols.stream().map(c -> csvCell(c.value().apply(row)))
                            .collect(Collectors.joining(",")));
                }
            }
            case table -> {
                List<String> headers = cols.stream().map(Columns.Column::header).toList();
                List<List<String>> cells = new ArrayList<>();
                for (T row : rows) {
                    cells.add(cols.stream().map(c -> tableCell(c.value().apply(row))).toList());
                }
                printAligned(headers, cells);
            }
        }
        out.flush();
    }

    /** One object: aligned key/value lines, a JSON object, or a one-row CSV. */
    public void detail(Map<String, ?> fields) {
        switch (format) {
            case json -> {
                Map<String, Object> object = new LinkedHashMap<>();
                fields.forEach((k, v) -> object.put(k, jsonValue(v)));
                writeJson(object);
            }
            case csv -> {
                out.println(fields.keySet().stream().map(Output::csvField).collect(Collectors.joining(",")));
                out.println(fields.values().stream().map(Output::csvCell).collect(Collectors.joining(",")));
            }
            case table -> {
                int width = fields.keySet().stream().mapToInt(TerminalWidth::of).max().orElse(0);
                fields.forEach((k, v) -> out.println(pad(k, width) + "  " + tableCell(v)));
            }
        }
        out.flush();
    }

    /**
     * A nested description (e.g. {@code describe}): scalars, then each list of objects as a table
     * under its heading and each mapping as indented key/values. JSON keeps the nesting; CSV gets
     * one {@code key,value} row per leaf with dotted keys.
     */
    public void document(Map<String, ?> doc) {
        switch (format) {
            case json -> {
                Map<String, Object> object = new LinkedHashMap<>();
                doc.forEach((k, v) -> object.put(k, jsonValue(v)));
                writeJson(object);
            }
            case csv -> {
                out.println("key,value");
                flatten("", doc, (k, v) -> out.println(csvField(k) + "," + csvField(text(v))));
            }
            case table -> {
                Map<String, Object> scalars = new LinkedHashMap<>();
                doc.forEach((k, v) -> {
                    if (!(v instanceof Map<?, ?>) && !(v instanceof Collection<?>)) {
                        scalars.put(k, v);
                    }
                });
                int width = scalars.keySet().stream().mapToInt(TerminalWidth::of).max().orElse(0);
                scalars.forEach((k, v) -> out.println(pad(k, width) + "  " + tableCell(v)));
                doc.forEach((k, v) -> {
                    if (v instanceof Collection<?> list) {
                        out.println();
                        out.println(k.replace('_', ' ').toUpperCase(java.util.Locale.ROOT) + ":");
                        printNestedList(list);
                    } else if (v instanceof Map<?, ?> map) {
                        out.println();
                        out.println(k.replace('_', ' ').toUpperCase(java.util.Locale.ROOT) + ":");
                        int w = map.keySet().stream().mapToInt(x -> TerminalWidth.of(String.valueOf(x))).max().orElse(0);
                        map.forEach((mk, mv) -> out.println("  " + pad(String.valueOf(mk), w) + "  " + tableCell(mv)));
                        if (map.isEmpty()) {
                            out.println("  (none)");
                        }
                    }
                });
            }
        }
        out.flush();
    }

    private void printNestedList(Collection<?> list) {
        if (list.isEmpty()) {
            out.println("  (none)");
            return;
        }
        if (!(list.iterator().next() instanceof Map<?, ?> first)) {
            list.forEach(item -> out.println("  " + tableCell(item)));
            return;
        }
        List<String> keys = first.keySet().stream().map(String::valueOf).toList();
        List<String> headers = keys.stream().map(k -> k.replace('_', ' ').toUpperCase(java.util.Locale.ROOT)).toList();
        List<List<String>> rows = new ArrayList<>();
        for (Object item : list) {
            Map<?, ?> m = (Map<?, ?>) item;
            rows.add(keys.stream().map(k -> tableCell(m.get(k))).toList());
        }
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = TerminalWidth.of(headers.get(i));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], TerminalWidth.of(row.get(i)));
            }
        }
        out.print("  ");
        printRow(headers, widths);
        for (List<String> row : rows) {
            out.print("  ");
            printRow(row, widths);
        }
    }

    private static void flatten(String prefix, Object value, java.util.function.BiConsumer<String, Object> sink) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, sink));
        } else if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                flatten(prefix + "[" + i++ + "]", item, sink);
            }
        } else {
            sink.accept(prefix, value);
        }
    }

    /**
     * Rows as they come, never all in memory: CSV and JSON are written row by row; a table takes its
     * column widths from the first rows and keeps them. Returns the number of rows written. Throws
     * {@link OutputFailedException} as soon as stdout cannot be written (checked every 1,000 rows).
     */
    public long stream(List<String> names, java.util.Iterator<Object[]> rows) {
        List<String> columns = distinct(names);
        long n = 0;
        switch (format) {
            case csv -> {
                out.println(columns.stream().map(Output::csvField).collect(Collectors.joining(",")));
                while (rows.hasNext()) {
                    Object[] row = rows.next();
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < row.length; i++) {
                        line.append(i == 0 ? "" : ",").append(csvCell(resultValue(row[i])));
                    }
                    out.println(line);
                    n++;
                    flushEvery(n);
                }
            }
            case json -> {
                try {
                    var gen = JSON.getFactory().createGenerator(out);
                    gen.setPrettyPrinter(PRETTY);
                    gen.writeStartArray();
                    while (rows.hasNext()) {
                        Object[] row = rows.next();
                        Map<String, Object> object = new LinkedHashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            object.put(columns.get(i), jsonValue(row[i]));
                        }
                        JSON.writer(PRETTY).writeValue(gen, object);
                        n++;
                        if (n % 1000 == 0) {
                            gen.flush();
                            flushOrStop();
                        }
                    }
                    gen.writeEndArray();
                    gen.flush();
                    out.println();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case table -> {
                List<List<String>> first = new ArrayList<>();
                while (rows.hasNext() && first.size() < 200) {
                    first.add(cells(rows.next()));
                }
                List<String> headers = columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList();
                int[] widths = new int[headers.size()];
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = TerminalWidth.of(headers.get(i));
                    for (List<String> row : first) {
                        widths[i] = Math.max(widths[i], TerminalWidth.of(row.get(i)));
                    }
                }
                printRow(headers, widths);
                for (List<String> row : first) {
                    printRow(row, widths);
                    n++;
                }
                while (rows.hasNext()) {
                    printRow(cells(rows.next()), widths);
                    n++;
                    flushEvery(n);
                }
            }
        }
        flushOrStop();
        return n;
    }

    /**
     * Result column names made distinct, the same in every format: a second {@code id} (a self-join's
     * {@code a.id, b.id}) is {@code id_2}. JSON objects cannot hold one key twice, so one value was lost.
     */
    static List<String> distinct(List<String> names) {
        java.util.Set<String> used = new java.util.HashSet<>();
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            String unique = name;
            for (int k = 2; !used.add(unique); k++) {
                unique = name + "_" + k;
            }
            out.add(unique);
        }
        return out;
    }

    /**
     * A query result's array, map or struct as Athena prints it ({@code [1, 2]}, {@code {k=v, n=[3]}},
     * null inside as {@code null}), so that CSV and table output read the same on both engines;
     * JSON keeps them as arrays and objects. Scalars are left to {@link #text}.
     */
    private static Object resultValue(Object v) {
        return v instanceof Map<?, ?> || v instanceof Collection<?> ? nestedText(v) : v;
    }

    private static String nestedText(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> nestedText(e.getKey()) + "=" + nestedText(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof Collection<?> list) {
            return list.stream().map(Output::nestedText).collect(Collectors.joining(", ", "[", "]"));
        }
        return text(v);
    }

    private static List<String> cells(Object[] row) {
        List<String> cells = new ArrayList<>(row.length);
        for (Object v : row) {
            cells.add(tableCell(resultValue(v)));
        }
        return cells;
    }

    private void flushEvery(long n) {
        if (n % 1000 == 0) {
            flushOrStop();
        }
    }

    /**
     * Flushes, and stops the command when stdout cannot be written any more (a reader that went
     * away, a full disk): a PrintWriter only records the error, so rows would be made for nothing.
     */
    private void flushOrStop() {
        if (out.checkError()) { // flushes first
            throw OutputFailedException.of(out);
        }
    }

    private void writeJson(Object value) {
        try {
            JSON.writer(PRETTY).writeValue(out, value);
            out.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void printAligned(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = TerminalWidth.of(headers.get(i));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], TerminalWidth.of(row.get(i)));
            }
        }
        printRow(headers, widths);
        for (List<String> row : rows) {
            printRow(row, widths);
        }
    }

    private void printRow(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            // a value wider than its column (after the rows the widths came from) still keeps the gap
            line.append(last ? cell : pad(cell, Math.max(widths[i], TerminalWidth.of(cell)) + 2));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String pad(String s, int width) {
        int taken = TerminalWidth.of(s);
        return taken >= width ? s : s + " ".repeat(width - taken);
    }

    /** JSON keeps numbers, booleans, nulls and nesting; everything else becomes its text. */
    static Object jsonValue(Object v) {
        if (v == null || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Number) {
            return v;
        }
        if (v instanceof ByteSize size) {
            return size.bytes();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, val) -> copy.put(String.valueOf(k), jsonValue(val)));
            return copy;
        }
        if (v instanceof Collection<?> list) {
            return list.stream().map(Output::jsonValue).toList();
        }
        return text(v);
    }

    /** The plain text of a value, used by table and CSV; null is the empty string. */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof ByteSize size) {
            return Long.toString(size.bytes());
        }
        if (v instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof LocalDateTime t) {
            return withSeconds(t.toString(), t.getSecond(), t.getNano());
        }
        if (v instanceof LocalTime t) {
            return withSeconds(t.toString(), t.getSecond(), t.getNano());
        }
        if (v instanceof java.time.OffsetTime t) {
            return withSeconds(t.toLocalTime().toString(), t.getSecond(), t.getNano()) + t.getOffset();
        }
        if (v instanceof Instant || v instanceof Temporal || v instanceof Path || v instanceof Enum<?>) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + text(e.getValue()))
                    .collect(Collectors.joining(", "));
        }
        if (v instanceof Collection<?> list) {
            return list.stream().map(Output::text).collect(Collectors.joining(", "));
        }
        return v.toString();
    }

    /**
     * java.time leaves out ":00" seconds ("2024-01-01T01:02"): a column's values would change shape
     * with their value, and a reader with a fixed format would fail on every whole minute.
     */
    private static String withSeconds(String iso, int second, int nano) {
        return second == 0 && nano == 0 ? iso + ":00" : iso;
    }

    private static String tableCell(Object v) {
        // a line break, carriage return or tab in a value would break the row's line or its alignment
        String s = v instanceof ByteSize size ? size.toString() : text(v).replace("\r\n", " ").replace('\n', ' ')
                .replace('\r', ' ').replace('\t', ' ');
        return v == null ? "-" : s;
    }

    /** NULL is an empty field; the empty string is quoted ("") so the two stay apart. */
    static String csvCell(Object v) {
        if (v == null) {
            return "";
        }
        String s = text(v);
        return s.isEmpty() ? "\"\"" : csvField(s);
    }

    static String csvField(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
