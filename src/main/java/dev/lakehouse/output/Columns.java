package dev.lakehouse.output;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of a result: a stable snake_case key (the JSON field and CSV header) and how to get
 * the value from a row. Table headers are the keys in upper case, as kubectl and kcctl print them.
 */
public final class Columns<T> {
    record Column<T>(String key, Function<T, Object> value, boolean jsonOnly) {
        String header() {
            return key.replace('_', ' ').toUpperCase(java.util.Locale.ROOT);
        }
    }

    private final List<Column<T>> columns = new ArrayList<>();

    public static <T> Columns<T> of(Class<T> rowType) {
        return new Columns<>();
    }

    public Columns<T> add(String key, Function<T, Object> value) {
        columns.add(new Column<>(key, value, false));
        return this;
    }

    /** A column too wide or nested for a table (e.g. a whole snapshot summary): JSON output only. */
    public Columns<T> addJsonOnly(String key, Function<T, Object> value) {
        columns.add(new Column<>(key, value, true));
        return this;
    }

    List<Column<T>> list(OutputFormat format) {
        return format == OutputFormat.json ? columns : columns.stream().filter(c -> !c.jsonOnly()).toList();
    }
}
