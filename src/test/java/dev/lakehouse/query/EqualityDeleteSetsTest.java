package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Equality deletes that Iceberg's planning leaves out of a file because the file's key bounds rule
 * them out are given back to it where the spec's rules apply them, so the view can use one anti join;
 * never to a file written after the delete, nor to another partition's file. The answers stay
 * Iceberg's reader's.
 */
class EqualityDeleteSetsTest {
    @TempDir
    Path dir;
    LakehouseFixture fx;

    @BeforeEach
    void setUp() {
        fx = LakehouseFixture.local(dir);
    }

    /** Per data file (its lowest id, and partition), the delete files (their lowest id) the local engine applies. */
    static Map<String, Set<String>> widened(Table table) {
        List<IcebergViews.PlannedFile> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = table.newScan().includeColumnStats().planFiles()) {
            planned.forEach(t -> tasks.add(new IcebergViews.PlannedFile(t.file(), t.deletes())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<List<Integer>, Map<String, Set<String>>> applied = new LinkedHashMap<>();
        Map<List<Integer>, Map<String, DeleteFile>> deletes = new LinkedHashMap<>();
        Map<String, String> firstIds = new LinkedHashMap<>();
        for (IcebergViews.PlannedFile task : tasks) {
            firstIds.put(task.file().location(), name(task.file()));
            for (DeleteFile d : task.deletes()) {
                deletes.computeIfAbsent(d.equalityFieldIds(), k -> new LinkedHashMap<>()).put(d.location(), d);
                firstIds.put(d.location(), name(d));
                applied.computeIfAbsent(d.equalityFieldIds(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(task.file().location(), k -> new LinkedHashSet<>()).add(d.location());
            }
        }
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        tasks.forEach(t -> out.put(firstIds.get(t.file().location()), new java.util.TreeSet<>()));
        EqualityDeleteSets.widened(table, tasks, applied, deletes).values().forEach(byFile -> byFile.forEach(
                (data, set) -> set.forEach(d -> out.get(firstIds.get(data)).add(firstIds.get(d)))));
        return out;
    }

    static String name(org.apache.iceberg.ContentFile<?> f) {
        long id = org.apache.iceberg.types.Conversions.fromByteBuffer(org.apache.iceberg.types.Types.LongType.get(), f.lowerBounds().get(1));
        return id + (f.partition().size() > 0 ? "@" + f.partition().get(0, String.class) : "");
    }

    List<String> query(String sql) {
        CliRun.Result r = fx.cli().run("query", sql, "-o", "csv");
        assertEquals(0, r.exitCode(), r.toString());
        return r.out().lines().skip(1).sorted().toList();
    }

    List<String> iceberg(String name) {
        try (Warehouse w = fx.warehouse()) {
            return TestTables.rows(w.load(name)).stream().map(row -> row.substring(1, row.indexOf(','))).sorted().toList();
        }
    }

    @Test
    void deletes_ruled_out_by_bounds_are_put_back_but_never_on_later_files() {
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
            TestTables.appendFiles(t, 0, 2, 100); // ids 0-99 and 100-199
            TestTables.deleteIds(t, List.of(5L)); // bounds 5..5: Iceberg gives it to the first file only
            TestTables.deleteIds(t, List.of(150L));
            List<DataFile> later = TestTables.writeData(t, List.of(TestTables.order(5)));
            var append = t.newAppend(); // id 5 inserted again, after its delete
            later.forEach(append::appendFile);
            append.commit();
            t.refresh();
            assertEquals(Map.of("0", Set.of("5", "150"), "100", Set.of("5", "150"), "5", Set.of()), widened(t));
        }
        List<String> ids = query("SELECT id FROM orders");
        assertEquals(iceberg("lakehouse.orders"), ids);
        assertEquals(199, ids.size()); // 200 - 5 - 150 + 5 again
        assertEquals(List.of("5"), query("SELECT id FROM orders WHERE id = 5"));
    }

    @Test
    void a_delete_stays_in_its_partition() {
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.builderFor(TestTables.ORDERS).identity("region").build(),
                    Map.of("format-version", "2"));
            Record eu = TestTables.order(3); // region eu
            Record us = TestTables.order(3);
            us.setField("region", "us"); // the same key in another partition
            Record other = TestTables.order(4);
            other.setField("region", "eu");
            var append = t.newAppend();
            TestTables.writeData(t, List.of(eu)).forEach(append::appendFile);
            TestTables.writeData(t, List.of(us)).forEach(append::appendFile);
            TestTables.writeData(t, List.of(other)).forEach(append::appendFile);
            append.commit();
            TestTables.deleteIds(t, List.of(3L)); // written in eu's partition
            t.refresh();
            // the eu file of id 4 gets the delete back (bounds ruled it out), us's file of id 3 does not
            assertEquals(Map.of("3@eu", Set.of("3@eu"), "4@eu", Set.of("3@eu"), "3@us", Set.of()), widened(t));
        }
        assertEquals(iceberg("lakehouse.orders"), query("SELECT id FROM orders"));
        assertEquals(List.of("3,us"), query("SELECT id, region FROM orders WHERE id = 3"));
    }

    /**
     * Iceberg's column bounds leave NaN out, while an equality delete of NaN matches a NaN row (Iceberg's
     * reader compares keys as values). A delete of {NaN, 5.0} has bounds 5..5, and a file of {NaN, 100.0}
     * bounds 100..100: Iceberg's planning leaves the delete out of that file and its reader keeps the NaN
     * row. The bounds there do not rule out a match, so the delete is not given back.
     */
    @Test
    void a_delete_left_out_where_bounds_hide_nan_keys_is_not_given_back() throws Exception {
        org.apache.iceberg.Schema schema = new org.apache.iceberg.Schema(
                org.apache.iceberg.types.Types.NestedField.required(1, "id", org.apache.iceberg.types.Types.LongType.get()),
                org.apache.iceberg.types.Types.NestedField.optional(2, "k", org.apache.iceberg.types.Types.DoubleType.get()));
        try (Warehouse w = fx.warehouse()) {
            var id = w.identifier("floats");
            w.ensureNamespace(id.namespace());
            Table t = w.catalog().createTable(id, schema, PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
            java.util.function.BiFunction<Long, Double, Record> row = (i, k) -> {
                Record r = org.apache.iceberg.data.GenericRecord.create(schema);
                r.setField("id", i);
                r.setField("k", k);
                return r;
            };
            var append = t.newAppend();
            TestTables.writeData(t, List.of(row.apply(1L, Double.NaN), row.apply(2L, 100.0))).forEach(append::appendFile);
            TestTables.writeData(t, List.of(row.apply(3L, 5.0))).forEach(append::appendFile);
            append.commit();
            org.apache.iceberg.Schema keySchema = schema.select("k");
            var factory = new org.apache.iceberg.data.GenericAppenderFactory(schema, t.spec(), new int[] {2}, keySchema, null)
                    .setAll(t.properties());
            var writer = factory.newEqDeleteWriter(TestTables.outputFile(t), org.apache.iceberg.FileFormat.PARQUET, null);
            try (writer) {
                for (double k : new double[] {Double.NaN, 5.0}) {
                    Record key = org.apache.iceberg.data.GenericRecord.create(keySchema);
                    key.setField("k", k);
                    writer.write(key);
                }
            }
            t.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
            t.refresh();
        }
        List<String> ids = query("SELECT id FROM floats");
        assertEquals(List.of("1", "2"), iceberg("lakehouse.floats"));
        assertEquals(iceberg("lakehouse.floats"), ids);
    }

    /**
     * An equality delete keyed on a struct's field (s.a), where no planned file has the struct (it was
     * added after they were written): the files read s as NULL, as Iceberg's reader does, and the
     * delete (s.a = 5) matches none of their rows.
     */
    @Test
    void a_nested_delete_key_whose_struct_no_planned_file_has() throws Exception {
        org.apache.iceberg.Schema schema = new org.apache.iceberg.Schema(
                org.apache.iceberg.types.Types.NestedField.required(1, "id", org.apache.iceberg.types.Types.LongType.get()));
        try (Warehouse w = fx.warehouse()) {
            Record r = org.apache.iceberg.data.GenericRecord.create(schema);
            r.setField("id", 1L);
            Table t = oneRowTable(w, "nested", r);
            t.updateSchema().addColumn("s", org.apache.iceberg.types.Types.StructType.of(
                    org.apache.iceberg.types.Types.NestedField.optional(3, "a", org.apache.iceberg.types.Types.LongType.get()))).commit();
            t.refresh();
            deleteNestedKey(t, "a", 5L);
        }
        assertEquals(List.of("1"), iceberg("lakehouse.nested"));
        assertEquals(List.of("1"), query("SELECT id FROM nested"));
    }

    /** The same with the struct in the files but its key field added since (s.b): the files read s.b as NULL. */
    @Test
    void a_nested_delete_key_whose_field_no_planned_file_has() throws Exception {
        org.apache.iceberg.Schema schema = new org.apache.iceberg.Schema(
                org.apache.iceberg.types.Types.NestedField.required(1, "id", org.apache.iceberg.types.Types.LongType.get()),
                org.apache.iceberg.types.Types.NestedField.optional(2, "s", org.apache.iceberg.types.Types.StructType.of(
                        org.apache.iceberg.types.Types.NestedField.optional(3, "a", org.apache.iceberg.types.Types.LongType.get()))));
        try (Warehouse w = fx.warehouse()) {
            Record r = org.apache.iceberg.data.GenericRecord.create(schema);
            r.setField("id", 1L);
            Record inner0 = org.apache.iceberg.data.GenericRecord.create(schema.findField("s").type().asStructType());
            inner0.setField("a", 7L);
            r.setField("s", inner0);
            Table t = oneRowTable(w, "nested2", r);
            t.updateSchema().addColumn("s", "b", org.apache.iceberg.types.Types.LongType.get()).commit();
            t.refresh();
            deleteNestedKey(t, "b", 5L);
        }
        assertEquals(List.of("1"), iceberg("lakehouse.nested2"));
        assertEquals(List.of("1"), query("SELECT id FROM nested2"));
    }

    /** A v2 table of the row's schema, with one file holding the row. */
    static Table oneRowTable(Warehouse w, String name, Record row) {
        var id = w.identifier(name);
        w.ensureNamespace(id.namespace());
        Table t = w.catalog().createTable(id, row.struct().asSchema(), PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
        var append = t.newAppend();
        TestTables.writeData(t, List.of(row)).forEach(append::appendFile);
        append.commit();
        return t;
    }

    /** Commits an equality delete keyed on the struct field s.FIELD, deleting the rows where it is this value. */
    static void deleteNestedKey(Table t, String field, long value) throws java.io.IOException {
        org.apache.iceberg.Schema keySchema = t.schema().select("s." + field);
        var factory = new org.apache.iceberg.data.GenericAppenderFactory(t.schema(), t.spec(),
                new int[] {t.schema().findField("s." + field).fieldId()}, keySchema, null).setAll(t.properties());
        var writer = factory.newEqDeleteWriter(TestTables.outputFile(t), org.apache.iceberg.FileFormat.PARQUET, null);
        try (writer) {
            Record key = org.apache.iceberg.data.GenericRecord.create(keySchema);
            Record inner = org.apache.iceberg.data.GenericRecord.create(keySchema.findField("s").type().asStructType());
            inner.setField(field, value);
            key.setField("s", inner);
            writer.write(key);
        }
        t.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
        t.refresh();
    }
}
