package dev.lakehouse.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** sample dms writes what convert turns into the source's final state, in both formats, reproducibly. */
class SampleDmsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"parquet", "csv"})
    void sample_then_convert_gives_the_sources_final_rows(String format) throws Exception {
        LakehouseFixture fx = LakehouseFixture.local(dir);
        Files.copy(Path.of(System.getProperty("lakehouse.test.projectDir", "."), "environments/local/tables.yaml"),
                fx.home().root().resolve("environments/local/tables.yaml"));
        var sample = fx.cli().run("sample", "dms", "--rows", "3000", "--changes", "2000", "--format", format, "-o", "json");
        assertEquals(0, sample.exitCode(), sample.toString());
        JsonNode written = new ObjectMapper().readTree(sample.out());
        assertEquals(2, written.size());
        assertTrue(written.get(0).get("load_files").asInt() > 1);

        var convert = fx.cli().run("iceberg", "convert", "--all", "-o", "json");
        assertEquals(0, convert.exitCode(), convert.toString());
        try (Warehouse w = fx.warehouse()) {
            for (JsonNode t : written) {
                String name = t.get("source").asText().replace("public.", "lakehouse.");
                Table table = w.load(name);
                Set<Object> keys = new HashSet<>();
                long rows = 0;
                try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                    for (Record r : records) {
                        rows++;
                        keys.add(r.get(0));
                    }
                }
                assertEquals(t.get("rows_after").asLong(), rows, name + ": the source's rows after all changes");
                assertEquals(rows, keys.size(), name + ": one row per key");
                String late = name.endsWith("orders") ? "discount" : "loyalty_tier";
                assertTrue(table.schema().findField(late) != null, "the column added mid-way reached the table");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"parquet"})
    void the_same_seed_writes_the_same_rows_and_existing_files_are_not_overwritten_by_accident(String format) throws Exception {
        LakehouseFixture a = LakehouseFixture.local(dir.resolve("a"));
        LakehouseFixture b = LakehouseFixture.local(dir.resolve("b"));
        for (LakehouseFixture fx : List.of(a, b)) {
            Files.copy(Path.of(System.getProperty("lakehouse.test.projectDir", "."), "environments/local/tables.yaml"),
                    fx.home().root().resolve("environments/local/tables.yaml"));
            assertEquals(0, fx.cli().run("sample", "dms", "--rows", "500", "--changes", "300", "--tables", "orders").exitCode());
            assertEquals(0, fx.cli().run("iceberg", "convert", "--all").exitCode());
        }
        try (Warehouse wa = a.warehouse(); Warehouse wb = b.warehouse()) {
            assertEquals(TestTables.rows(wa.load("orders")), TestTables.rows(wb.load("orders")));
        }
        var again = a.cli().run("sample", "dms", "--tables", "orders");
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.errorLine().contains("already holds raw files (pass --overwrite"), again.errorLine());
        try (Stream<Path> files = Files.walk(a.home().root().resolve(".lakehouse/raw/public/orders"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("LOAD00000001.parquet")));
        }
    }
}
