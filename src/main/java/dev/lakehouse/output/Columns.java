package dev.lakehouse.output;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of a result: a stable snake_case key (the JSON field and CSV header) and how to get
 * the value from a row. Table headers are the keys in upper case, as kubectl and kcctl print them.
 */
public final class Columns<T> {
    record Column<T>(String key, Function<T, Object> value) {
        String header() {
            return key.replace('_', ' ').toUpperCase(java.util.Locale.ROOT);
        }
    }

    private final List<Column<T>> columns = new ArrayList<>();

    public static <T> Columns<T> of(Class<T> rowType) {
        return new Columns<>();
    }

    public Columns<T> add(String key, Function<T, Object> value) {
        columns.add(new Column<>(key, value));
        return this;
    }

    List<Column<T>> list() {
        return columns;
    }
}
