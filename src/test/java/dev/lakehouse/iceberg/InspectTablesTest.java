package dev.lakehouse.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.MotoServer;
import dev.lakehouse.testing.TestTables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** list, describe, history, snapshots, files: on the local catalog and on Glue + S3 (moto). */
@ExtendWith(MotoServer.class)
class InspectTablesTest {
    @TempDir
    Path dir;

    static Stream<String> envs() {
        return Stream.of("local", "aws");
    }

    LakehouseFixture fixture(String kind) throws Exception {
        MotoServer.reset();
        return kind.equals("local") ? LakehouseFixture.local(dir) : LakehouseFixture.aws(dir);
    }

    static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @ParameterizedTest
    @MethodSource("envs")
    void describe_counts_files_deletes_and_shows_the_schema(String kind) throws Exception {
        var fx = fixture(kind);
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.builderFor(TestTables.ORDERS).identity("region").build(),
                    Map.of("format-version", "2"));
            List<DataFile> files = TestTables.appendFiles(t, 0, 4, 30);
            TestTables.deletePositions(t, files.get(0), 0, 1);
            TestTables.deleteIds(t, List.of(5L, 6L));
        }
        var r = fx.cli().run("iceberg", "describe", "orders", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode d = json(r.out());
        assertEquals("lakehouse.orders", d.get("table").asText());
        assertEquals(12, d.get("data_files").asInt(), "4 appends x 3 regions");
        assertEquals(120, d.get("records_in_data_files").asInt());
        assertEquals(1, d.get("position_delete_files").asInt());
        assertTrue(d.get("equality_delete_files").asInt() >= 1);
        assertEquals(12, d.get("small_data_files").asInt());
        assertEquals("id", d.get("schema").get(0).get("name").asText());
        assertTrue(d.get("schema").get(0).get("identifier").asBoolean());
        assertEquals("identity", d.get("partition_spec").get(0).get("transform").asText());
        assertEquals(3, d.get("snapshots").asInt(), "append, position delete, equality delete");

        var table = fx.cli().run("iceberg", "describe", "lakehouse.orders");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.out().contains("SCHEMA:"), table.out());
        assertTrue(table.out().contains("PARTITION SPEC:"), table.out());
    }

    @ParameterizedTest
    @MethodSource("envs")
    void list_snapshots_history_and_files(String kind) throws Exception {
        var fx = fixture(kind);
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
            TestTables.appendFiles(t, 0, 2, 10);
            TestTables.appendFiles(t, 100, 1, 10);
            TestTables.createOrders(w, "customers", PartitionSpec.unpartitioned(), Map.of());
        }
        var list = fx.cli().run("iceberg", "list", "--long", "-o", "json");
        assertEquals(0, list.exitCode(), list.toString());
        JsonNode tables = json(list.out());
        assertEquals(2, tables.size());
        assertEquals("customers", tables.get(0).get("name").asText());
        assertEquals("orders", tables.get(1).get("name").asText());
        assertEquals(30, tables.get(1).get("records").asInt());
        assertEquals(3, tables.get(1).get("data_files").asInt());

        var snapshots = json(fx.cli().run("iceberg", "snapshots", "orders", "-o", "json").out());
        assertEquals(2, snapshots.size());
        assertEquals("append", snapshots.get(1).get("operation").asText());
        assertEquals(30, snapshots.get(1).get("total_records").asInt());
        assertEquals("main", snapshots.get(1).get("refs").asText());
        assertEquals("10", snapshots.get(1).get("summary").get("added-records").asText());

        var history = json(fx.cli().run("iceberg", "history", "orders", "-o", "json").out());
        assertEquals(2, history.size());
        assertTrue(history.get(1).get("is_current_ancestor").asBoolean());

        var files = fx.cli().run("iceberg", "files", "orders", "-o", "csv");
        assertEquals(0, files.exitCode(), files.toString());
        assertEquals(4, files.out().lines().count(), "header + 3 files: " + files.out());
        assertTrue(files.out().lines().skip(1).allMatch(l -> l.startsWith("data,")), files.out());
    }

    @ParameterizedTest
    @MethodSource("envs")
    void an_unknown_table_is_one_line_naming_it_and_the_tables_that_exist(String kind) throws Exception {
        var fx = fixture(kind);
        try (Warehouse w = fx.warehouse()) {
            TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
        }
        var r = fx.cli().run("iceberg", "describe", "orderz");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errorLine().contains("Table lakehouse.orderz does not exist"), r.errorLine());
        assertTrue(r.errorLine().contains("tables in lakehouse: orders"), r.errorLine());
    }
}
