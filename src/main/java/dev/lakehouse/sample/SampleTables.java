package dev.lakehouse.sample;

import java.util.List;

/**
 * The source tables the sample generator replicates: what an online shop's PostgreSQL would hold.
 * Each has a late column that appears only in CDC files written after an ALTER TABLE.
 */
final class SampleTables {
    /** A source column: name, Parquet type (DMS's mapping of the PostgreSQL type), type for tables.yaml. */
    record Column(String name, String parquet, String iceberg) {
    }

    record Table(String name, List<Column> columns, Column late) {
        String key() {
            return columns.get(0).name();
        }
    }

    static final Table CUSTOMERS = new Table("customers", List.of(
            new Column("customer_id", "int64", "long"),
            new Column("name", "binary (STRING)", "string"),
            new Column("email", "binary (STRING)", "string"),
            new Column("country", "binary (STRING)", "string"),
            new Column("created_at", "int64 (TIMESTAMP(MICROS,false))", "timestamp")),
            new Column("loyalty_tier", "binary (STRING)", "string"));

    static final Table ORDERS = new Table("orders", List.of(
            new Column("order_id", "int64", "long"),
            new Column("customer_id", "int64", "long"),
            new Column("status", "binary (STRING)", "string"),
            new Column("amount", "int64 (DECIMAL(12,2))", "decimal(12,2)"),
            new Column("currency", "binary (STRING)", "string"),
            new Column("ordered_at", "int64 (TIMESTAMP(MICROS,false))", "timestamp")),
            new Column("discount", "int32 (DECIMAL(5,2))", "decimal(5,2)"));

    static final List<Table> ALL = List.of(CUSTOMERS, ORDERS);

    private SampleTables() {
    }
}
