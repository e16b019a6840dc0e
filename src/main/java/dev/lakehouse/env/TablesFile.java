package dev.lakehouse.env;

import dev.lakehouse.env.TableMapping.Column;
import dev.lakehouse.env.TableMapping.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads environments/NAME/tables.yaml: which DMS source tables become which Iceberg tables, and how.
 * Values under {@code defaults:} apply to every table unless the table sets its own.
 */
public final class TablesFile {
    public static final String FILE = "tables.yaml";
    private static final Pattern SOURCE = Pattern.compile("[^.\\s/]+\\.[^.\\s/]+");
    private static final String[] TABLE_KEYS = {"table", "key", "partition_by", "sort_by", "write_mode", "drop_columns",
        "timestamp_column", "change_sequence_column", "columns", "csv_header", "csv_null_value",
        "include_op_for_full_load", "batch_rows", "append_only"};
    private static final String[] DEFAULT_KEYS = {"write_mode", "timestamp_column", "change_sequence_column",
        "csv_header", "csv_null_value", "include_op_for_full_load", "batch_rows"};

    private TablesFile() {
    }

    /** The mappings of an env, in file order; empty when it has no tables.yaml. */
    public static List<TableMapping> load(Environment env) {
        Path file = env.directory().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        String display = EnvironmentLoader.ENVIRONMENTS + "/" + env.name() + "/" + FILE;
        ConfigNode root = ConfigNode.read(file, display);
        root.allowOnly("defaults", "tables");
        ConfigNode defaults = root.child("defaults");
        if (defaults != null) {
            defaults.allowOnly(DEFAULT_KEYS);
        }
        ConfigNode tables = root.child("tables");
        if (tables == null) {
            throw root.error("tables", "required key is missing (a mapping of source schema.table to settings)");
        }
        List<TableMapping> mappings = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> e : tables.entries().entrySet()) {
            mappings.add(mapping(e.getKey(), e.getValue(), defaults, tables, env));
        }
        return mappings;
    }

    private static TableMapping mapping(String source, ConfigNode t, ConfigNode defaults, ConfigNode tables,
                                        Environment env) {
        if (!SOURCE.matcher(source).matches()) {
            throw tables.error(source, "a source table is named schema.table (the folders DMS writes: schema/table/)");
        }
        if (t == null) {
            throw tables.error(source, "expected settings (at least key: [columns])");
        }
        t.allowOnly(TABLE_KEYS);
        String target = t.string("table");
        if (target == null) {
            target = (env.namespace() == null ? source.substring(0, source.indexOf('.')) : env.namespace())
                    + "." + source.substring(source.indexOf('.') + 1);
        } else if (!target.contains(".")) {
            target = env.namespace() + "." + target;
        }
        String modeName = pick(t, defaults, "write_mode", "merge-on-read");
        WriteMode mode = Arrays.stream(WriteMode.values()).filter(m -> m.configName().equals(modeName)).findFirst()
                .orElseThrow(() -> (t.has("write_mode") ? t : defaults).error("write_mode", "bad value '" + modeName
                        + "' (allowed: merge-on-read, merge-on-read-equality, copy-on-write, append-only)"));
        if (Boolean.TRUE.equals(t.bool("append_only"))) {
            mode = WriteMode.APPEND_ONLY;
        }
        List<String> key = t.stringList("key");
        if (key.isEmpty() && mode != WriteMode.APPEND_ONLY) {
            throw t.error("key", "table " + source + " has no primary key: changes cannot be applied without one;"
                    + " name the key columns, or set write_mode: append-only to append every row");
        }
        List<Column> columns = new ArrayList<>();
        for (ConfigNode c : t.children("columns")) {
            c.allowOnly("name", "type");
            columns.add(new Column(c.requiredString("name"), c.requiredString("type")));
        }
        int batchRows = (int) (long) (t.integer("batch_rows") != null ? t.integer("batch_rows")
                : defaults != null && defaults.integer("batch_rows") != null ? defaults.integer("batch_rows") : 250_000L);
        if (batchRows < 1) {
            throw t.error("batch_rows", "must be at least 1");
        }
        return new TableMapping(source, target, key, t.stringList("partition_by"), t.stringList("sort_by"), mode,
                t.stringList("drop_columns"),
                pickOrNull(t, defaults, "timestamp_column"),
                pickOrNull(t, defaults, "change_sequence_column"),
                columns,
                bool(t, defaults, "csv_header", true),
                pickOrNull(t, defaults, "csv_null_value"),
                bool(t, defaults, "include_op_for_full_load", false),
                batchRows);
    }

    private static String pick(ConfigNode t, ConfigNode defaults, String key, String fallback) {
        String v = pickOrNull(t, defaults, key);
        return v == null ? fallback : v;
    }

    private static String pickOrNull(ConfigNode t, ConfigNode defaults, String key) {
        for (ConfigNode n : new ConfigNode[] {t, defaults}) {
            if (n != null && key.equals("csv_null_value") && n.present(key) && n.string(key) == null) {
                throw n.error(key, "has no value: YAML reads NULL, null, ~ and an empty value as 'no value';"
                        + " put the marker DMS writes in quotes, e.g. csv_null_value: \"NULL\"");
            }
        }
        if (t.has(key)) {
            return t.string(key);
        }
        return defaults == null ? null : defaults.string(key);
    }

    private static boolean bool(ConfigNode t, ConfigNode defaults, String key, boolean fallback) {
        Boolean v = t.bool(key);
        if (v == null && defaults != null) {
            v = defaults.bool(key);
        }
        return v == null ? fallback : v;
    }
}
