package dev.lakehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Parquet files as other tools write them (no Iceberg field ids), with parquet-mr's example writer. */
public final class PlainParquet {
    private PlainParquet() {
    }

    /**
     * Writes rows (column name → value: Long, Integer, String, Double, Float, Boolean) with a schema in
     * Parquet's text form, e.g. {@code message m { required int64 id; optional binary name (STRING); }}.
     */
    public static Path write(Path file, String schema, List<Map<String, Object>> rows) {
        MessageType type = MessageTypeParser.parseMessageType(schema);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(type).build()) {
                SimpleGroupFactory groups = new SimpleGroupFactory(type);
                for (Map<String, Object> row : rows) {
                    Group g = groups.newGroup();
                    row.forEach((k, v) -> {
                        if (v == null || !type.containsField(k)) {
                            return;
                        }
                        if (v instanceof Long l) {
                            g.append(k, l);
                        } else if (v instanceof Integer i) {
                            g.append(k, i);
                        } else if (v instanceof Double d) {
                            g.append(k, d);
                        } else if (v instanceof Float f) {
                            g.append(k, f);
                        } else if (v instanceof Boolean b) {
                            g.append(k, b);
                        } else if (v instanceof org.apache.parquet.io.api.Binary bin) {
                            g.append(k, bin);
                        } else {
                            g.append(k, v.toString());
                        }
                    });
                    writer.write(g);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
