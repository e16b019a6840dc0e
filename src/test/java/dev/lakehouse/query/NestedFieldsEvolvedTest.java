package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Struct fields added and dropped since a table's files were written, read as Iceberg's reader
 * returns them (IcebergReaderParityTest has the common cases): a struct the files have none of the
 * fields of is NULL, and a v3 field added with a default reads it. DuckDB's cast refused the first
 * ("STRUCT to STRUCT cast must have at least one matching member"), failing every query of the table.
 */
class NestedFieldsEvolvedTest {
    @TempDir
    Path dir;
    LakehouseFixture fx;

    @BeforeEach
    void setUp() {
        fx = LakehouseFixture.local(dir);
    }

    CliRun.Result run(String sql, String... options) {
        List<String> args = new ArrayList<>(List.of("query", sql, "-o", "json"));
        args.addAll(List.of(options));
        return fx.cli().run(args.toArray(String[]::new));
    }

    List<String> query(String sql, String... options) throws Exception {
        CliRun.Result r = run(sql, options);
        assertEquals(0, r.exitCode(), r.toString());
        List<String> rows = new ArrayList<>();
        for (JsonNode row : IcebergReaderParityTest.JSON.readTree(r.out())) {
            rows.add(row.toString());
        }
        rows.sort(null);
        return rows;
    }

    Table create(Warehouse w, String name, Schema schema, Map<String, String> props) {
        var id = w.identifier(name);
        w.ensureNamespace(id.namespace());
        return w.catalog().createTable(id, schema, PartitionSpec.unpartitioned(), props);
    }

    List<String> iceberg(String name) {
        try (Warehouse w = fx.warehouse()) {
            Table t = w.load(name);
            List<String> out = new ArrayList<>();
            for (Record r : TestTables.records(t)) {
                out.add(TestTables.text(t.schema(), r));
            }
            out.sort(null);
            return out;
        }
    }

    /** Table ns (id, s) with one file holding row 1 and its struct s. */
    Table oneRow(Warehouse w, Types.StructType inner, Record s, String formatVersion) {
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()), Types.NestedField.optional(2, "s", inner));
        Table t = create(w, "ns", schema, Map.of("format-version", formatVersion));
        GenericRecord r = GenericRecord.create(schema);
        r.setField("id", 1L);
        r.setField("s", s);
        IcebergReaderParityTest.append(t, List.of(r));
        return t;
    }

    static GenericRecord struct(Types.StructType type, Object... namesAndValues) {
        GenericRecord r = GenericRecord.create(type);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            r.setField((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return r;
    }

    /** s had one field, c; c is dropped and b added: no planned file has any field of today's s. */
    @Test
    void struct_whose_every_field_was_replaced() throws Exception {
        tableWhoseStructLostEveryField();
        assertEquals(List.of("(1, null)"), iceberg("ns")); // Iceberg's reader: a struct none of whose fields the file has is NULL
        assertEquals(List.of("{\"id\":1}"), query("SELECT id FROM ns")); // worked before 288a302
        assertEquals(List.of("{\"id\":1,\"s\":null}"), query("SELECT id, s FROM ns"));
    }

    /** The same one level down: s keeps a, its struct t loses its only field x and gains y. */
    @Test
    void inner_struct_whose_every_field_was_replaced() throws Exception {
        Types.StructType tt = Types.StructType.of(Types.NestedField.optional(5, "x", Types.IntegerType.get()));
        Types.StructType inner = Types.StructType.of(Types.NestedField.optional(3, "a", Types.IntegerType.get()),
                Types.NestedField.optional(4, "t", tt));
        try (Warehouse w = fx.warehouse()) {
            Table t = oneRow(w, inner, struct(inner, "a", 1, "t", struct(tt, "x", 7)), "2");
            t.updateSchema().addColumn("s.t", "y", Types.IntegerType.get()).deleteColumn("s.t.x").commit();
        }
        assertEquals(List.of("(1, Record(1, null))"), iceberg("ns"));
        assertEquals(List.of("{\"id\":1}"), query("SELECT id FROM ns"));
        assertEquals(List.of("{\"id\":1,\"s\":{\"a\":1,\"t\":null}}"), query("SELECT id, s FROM ns"));
    }

    /**
     * With a newer file too, a query pruned to the old file reads its s as NULL. (Read together, the
     * old file's s is {b: NULL} where Iceberg's reader has NULL: DuckDB's union of the files' shapes
     * does not say which file lacked every field; docs/query.md.)
     */
    @Test
    void struct_with_no_field_in_a_pruned_to_file() throws Exception {
        tableWhoseStructLostEveryField();
        try (Warehouse w = fx.warehouse()) {
            Table t = w.load("ns");
            GenericRecord r = GenericRecord.create(t.schema());
            r.setField("id", 2L);
            r.setField("s", struct(t.schema().findType("s").asStructType(), "b", "new"));
            IcebergReaderParityTest.append(t, List.of(r));
        }
        assertEquals(List.of("(1, null)", "(2, Record(new))"), iceberg("ns"));
        assertEquals(List.of("{\"id\":1,\"s\":null}"), query("SELECT * FROM ns WHERE id = 1"));
        assertEquals(List.of("{\"id\":2,\"s\":{\"b\":\"new\"}}"), query("SELECT * FROM ns WHERE id = 2"));
    }

    /** s had one field, c; c is dropped and b added, in the table's one file. */
    void tableWhoseStructLostEveryField() {
        Types.StructType inner = Types.StructType.of(Types.NestedField.optional(3, "c", Types.StringType.get()));
        try (Warehouse w = fx.warehouse()) {
            Table t = oneRow(w, inner, struct(inner, "c", "gone"), "2");
            t.updateSchema().addColumn("s", "b", Types.StringType.get()).deleteColumn("s.c").commit();
        }
    }

    /** Format v3: a field added inside a struct with a default reads the default in older files. */
    @Test
    void nested_field_added_with_a_default() throws Exception {
        Types.StructType inner = Types.StructType.of(Types.NestedField.optional(3, "a", Types.IntegerType.get()));
        try (Warehouse w = fx.warehouse()) {
            Table t = oneRow(w, inner, struct(inner, "a", 1), "3");
            t.updateSchema().addColumn("s", "b", Types.StringType.get(), org.apache.iceberg.expressions.Literal.of("dflt")).commit();
        }
        assertEquals(List.of("(1, Record(1, dflt))"), iceberg("ns"));
        assertEquals(List.of("{\"id\":1,\"b\":\"dflt\"}"), query("SELECT id, s.b AS b FROM ns"));
    }
}
