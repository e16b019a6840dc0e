package dev.lakehouse.env;

import java.util.List;

/**
 * How one source table replicated by DMS becomes an Iceberg table (an entry of
 * environments/NAME/tables.yaml).
 *
 * @param source               source {@code schema.table}: the raw files are under RAW_ZONE/schema/table/
 * @param target               Iceberg {@code namespace.table}
 * @param key                  primary key columns (Iceberg identifier fields); empty only for append-only
 * @param partitionBy          partition fields, e.g. {@code day(created_at)}
 * @param sortBy               sort order columns (optionally with {@code desc})
 * @param writeMode            how changes are written (see {@link WriteMode})
 * @param dropColumns          source columns that never reach the table
 * @param timestampColumn      DMS TimestampColumnName (a string, never an ordering key), or null
 * @param changeSequenceColumn the column holding $AR_H_CHANGE_SEQ (add-column rule), or null
 * @param columns              column names and types, in source order: needed for CSV raw files
 * @param csvHeader            CSV files start with a header row (DMS AddColumnName=true)
 * @param csvNullValue         the CsvNullValue DMS writes for NULL, or null (then empty means NULL)
 * @param includeOpForFullLoad LOAD files carry the Op column (DMS IncludeOpForFullLoad=true)
 * @param batchRows            changes applied per commit (bounds memory)
 */
public record TableMapping(
        String source,
        String target,
        List<String> key,
        List<String> partitionBy,
        List<String> sortBy,
        WriteMode writeMode,
        List<String> dropColumns,
        String timestampColumn,
        String changeSequenceColumn,
        List<Column> columns,
        boolean csvHeader,
        String csvNullValue,
        boolean includeOpForFullLoad,
        int batchRows) {

    /** A declared column: name and Iceberg type ({@code long}, {@code decimal(12,2)}, {@code timestamp}...). */
    public record Column(String name, String type) {
    }

    public enum WriteMode {
        /** Position delete files for changed rows (readable by every Iceberg reader); the default. */
        POSITION_DELETES("merge-on-read"),
        /** Equality delete files by key: no lookup, fastest to write; PyIceberg cannot read them. */
        EQUALITY_DELETES("merge-on-read-equality"),
        /** Data files holding changed rows are rewritten: no delete files, slowest to write. */
        COPY_ON_WRITE("copy-on-write"),
        /** Every row is appended; deletes are ignored. For tables without a key. */
        APPEND_ONLY("append-only");

        private final String configName;

        WriteMode(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    public String sourceSchema() {
        return source.substring(0, source.indexOf('.'));
    }

    public String sourceTable() {
        return source.substring(source.indexOf('.') + 1);
    }

    /** The columns DMS adds that never reach the table. */
    public List<String> bookkeepingColumns() {
        java.util.List<String> columns = new java.util.ArrayList<>(List.of("Op"));
        if (timestampColumn != null) {
            columns.add(timestampColumn);
        }
        if (changeSequenceColumn != null) {
            columns.add(changeSequenceColumn);
        }
        return columns;
    }
}
