package dev.lakehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/**
 * Writes test tables with Iceberg's own writers (not the code under test) and reads them back
 * with Iceberg's own reader, so checks do not share the product's mistakes.
 */
public final class TestTables {
    public static final Schema ORDERS = new Schema(
            List.of(Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "customer", Types.StringType.get()),
                    Types.NestedField.optional(3, "amount", Types.DecimalType.of(12, 2)),
                    Types.NestedField.optional(4, "region", Types.StringType.get()),
                    Types.NestedField.optional(5, "created_at", Types.TimestampType.withZone())),
            Set.of(1));

    private TestTables() {
    }

    /** A deterministic order row. */
    public static Record order(long id) {
        GenericRecord r = GenericRecord.create(ORDERS);
        r.setField("id", id);
        r.setField("customer", "customer-" + (id % 97) + (id % 11 == 0 ? " Ünïcødé ✓" : ""));
        r.setField("amount", BigDecimal.valueOf(id * 137 % 100000, 2));
        r.setField("region", List.of("eu", "us", "ap").get((int) (id % 3)));
        r.setField("created_at", OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMinutes(id));
        return r;
    }

    /** Appends {@code files} data files of {@code rowsPerFile} rows each (ids from {@code firstId}), one commit. */
    public static List<DataFile> appendFiles(Table table, long firstId, int files, int rowsPerFile) {
        List<DataFile> written = new ArrayList<>();
        long id = firstId;
        for (int f = 0; f < files; f++) {
            List<Record> rows = new ArrayList<>();
            for (int i = 0; i < rowsPerFile; i++) {
                rows.add(order(id++));
            }
            written.addAll(writeData(table, rows));
        }
        var append = table.newAppend();
        written.forEach(append::appendFile);
        append.commit();
        return written;
    }

    /** The rows with ids {@code firstId} .. {@code firstId + count - 1}. */
    public static List<Record> orders(long firstId, int count) {
        List<Record> rows = new ArrayList<>();
        for (long id = firstId; id < firstId + count; id++) {
            rows.add(order(id));
        }
        return rows;
    }

    /** Writes rows into data files (one per partition), uncommitted. */
    public static List<DataFile> writeData(Table table, List<Record> rows) {
        // the table's write properties (codec, row group and page sizes), as Iceberg's engines and our
        // converter honour them: without them Iceberg's generic writer falls back to gzip
        GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec()).setAll(table.properties());
        Map<StructLike, List<Record>> byPartition = partition(table, rows);
        List<DataFile> files = new ArrayList<>();
        for (var e : byPartition.entrySet()) {
            DataWriter<Record> writer = factory.newDataWriter(outputFile(table), FileFormat.PARQUET,
                    table.spec().isUnpartitioned() ? null : e.getKey());
            try (writer) {
                e.getValue().forEach(writer::write);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            files.add(writer.toDataFile());
        }
        return files;
    }

    private static Map<StructLike, List<Record>> partition(Table table, List<Record> rows) {
        Map<StructLike, List<Record>> map = new java.util.LinkedHashMap<>();
        if (table.spec().isUnpartitioned()) {
            map.put(null, rows);
            return map;
        }
        InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
        var keys = org.apache.iceberg.util.StructLikeMap.<List<Record>>create(table.spec().partitionType());
        for (Record r : rows) {
            PartitionKey key = new PartitionKey(table.spec(), table.schema());
            key.partition(wrapper.wrap(r));
            keys.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        map.putAll(keys);
        return map;
    }

    /** Commits a position delete file removing {@code positions} of {@code file}. */
    public static DeleteFile deletePositions(Table table, DataFile file, long... positions) {
        DeleteFile deletes = writePositionDeletes(table, file, positions);
        table.newRowDelta().addDeletes(deletes).commit();
        return deletes;
    }

    /** Writes (does not commit) a position delete file removing {@code positions} of {@code file}. */
    public static DeleteFile writePositionDeletes(Table table, DataFile file, long... positions) {
        GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec()).setAll(table.properties());
        PositionDeleteWriter<Record> writer = factory.newPosDeleteWriter(outputFile(table), FileFormat.PARQUET, file.partition());
        try (writer) {
            PositionDelete<Record> delete = PositionDelete.create();
            for (long pos : positions) {
                writer.write(delete.set(file.location(), pos, null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writer.toDeleteFile();
    }

    /** Commits equality delete files (on the identifier field id) removing these ids. */
    public static List<DeleteFile> deleteIds(Table table, Collection<Long> ids) {
        Schema deleteSchema = table.schema().select("id");
        GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec(),
                new int[] {table.schema().findField("id").fieldId()}, deleteSchema, null).setAll(table.properties());
        List<Record> rows = new ArrayList<>();
        for (long id : ids) {
            rows.add(order(id));
        }
        List<DeleteFile> written = new ArrayList<>();
        for (var e : partition(table, rows).entrySet()) {
            EqualityDeleteWriter<Record> writer = factory.newEqDeleteWriter(outputFile(table), FileFormat.PARQUET,
                    table.spec().isUnpartitioned() ? null : e.getKey());
            try (writer) {
                for (Record r : e.getValue()) {
                    GenericRecord key = GenericRecord.create(deleteSchema);
                    key.setField("id", r.getField("id"));
                    writer.write(key);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            written.add(writer.toDeleteFile());
        }
        var delta = table.newRowDelta();
        written.forEach(delta::addDeletes);
        delta.commit();
        return written;
    }

    public static EncryptedOutputFile outputFile(Table table) {
        String path = table.locationProvider().newDataLocation("test-" + UUID.randomUUID() + ".parquet");
        return EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(path));
    }

    /** The table's current rows as Iceberg's own reader returns them (deletes applied), in its order. */
    public static List<Record> records(Table table) {
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> out.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The table's rows as Iceberg's own reader returns them (deletes applied), as sorted text lines. */
    public static List<String> rows(Table table) {
        table.refresh();
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                rows.add(text(table.schema(), r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort(null);
        return rows;
    }

    /** A row as text, table columns only (readers may append metadata columns such as _pos). */
    public static String text(Schema schema, Record r) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < schema.columns().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(r.get(i));
        }
        return b.append(')').toString();
    }

    /** The rows of one snapshot. */
    public static List<String> rows(Table table, long snapshotId) {
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
            for (Record r : records) {
                rows.add(text(table.schema(), r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort(null);
        return rows;
    }

    /** A content checksum of the table's rows (order-independent). */
    public static String checksum(Table table) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String row : rows(table)) {
                md.update(row.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Table createOrders(dev.lakehouse.iceberg.Warehouse warehouse, String name, PartitionSpec spec,
                                     Map<String, String> properties) {
        var id = warehouse.identifier(name);
        warehouse.ensureNamespace(id.namespace());
        return warehouse.catalog().createTable(id, ORDERS, spec, properties);
    }
}
