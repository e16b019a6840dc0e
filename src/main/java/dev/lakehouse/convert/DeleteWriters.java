package dev.lakehouse.convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.util.StructLikeMap;

/** Writes Iceberg delete files (uncommitted): position deletes per data file, equality deletes by key. */
final class DeleteWriters {
    private final Table table;
    private final OutputFileFactory outputs;
    private final List<DeleteFile> written = new ArrayList<>();

    DeleteWriters(Table table) {
        this.table = table;
        this.outputs = OutputFileFactory.builderFor(table, 2, System.nanoTime())
                .format(FileFormat.PARQUET).operationId(UUID.randomUUID().toString()).suffix("deletes").build();
    }

    private EncryptedOutputFile output(PartitionSpec spec, StructLike partition) {
        return spec.isPartitioned() ? outputs.newOutputFile(spec, partition) : outputs.newOutputFile();
    }

    /** One position delete file per partition: the positions of each data file, sorted as the spec requires. */
    List<DeleteFile> positions(Map<DataFile, List<Long>> byFile) {
        Map<Integer, StructLikeMap<List<DataFile>>> groups = new java.util.HashMap<>();
        for (DataFile f : byFile.keySet()) {
            PartitionSpec spec = table.specs().get(f.specId());
            groups.computeIfAbsent(f.specId(), id -> StructLikeMap.create(spec.partitionType()))
                    .computeIfAbsent(f.partition(), p -> new ArrayList<>()).add(f);
        }
        List<DeleteFile> files = new ArrayList<>();
        PositionDelete<Record> delete = PositionDelete.create();
        for (var bySpec : groups.entrySet()) {
            PartitionSpec spec = table.specs().get(bySpec.getKey());
            GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), spec);
            factory.setAll(table.properties()); // the table's codec and sizes, as for its data files
            for (var group : bySpec.getValue().entrySet()) {
                StructLike partition = spec.isPartitioned() ? group.getKey() : null;
                PositionDeleteWriter<Record> writer = factory.newPosDeleteWriter(output(spec, partition), FileFormat.PARQUET, partition);
                try (writer) {
                    List<DataFile> dataFiles = group.getValue();
                    dataFiles.sort(Comparator.comparing(DataFile::location));
                    for (DataFile f : dataFiles) {
                        List<Long> positions = byFile.get(f);
                        positions.sort(null);
                        for (long pos : positions) {
                            writer.write(delete.set(f.location(), pos, null));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                files.add(writer.toDeleteFile());
            }
        }
        written.addAll(files);
        return files;
    }

    /** Equality deletes on the key, in the partition each key's rows live in (partition columns are key columns). */
    List<DeleteFile> keys(List<GenericRecord> keyRows, List<String> keyColumns) {
        Schema schema = table.schema();
        PartitionSpec spec = table.spec();
        Schema deleteSchema = schema.select(keyColumns);
        int[] equalityIds = keyColumns.stream().mapToInt(c -> schema.findField(c).fieldId()).toArray();
        GenericAppenderFactory factory = new GenericAppenderFactory(schema, spec, equalityIds, deleteSchema, null);
        factory.setAll(table.properties());
        StructLikeMap<List<GenericRecord>> byPartition = StructLikeMap.create(spec.partitionType());
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        PartitionKey key = new PartitionKey(spec, schema);
        for (GenericRecord row : keyRows) {
            key.partition(wrapper.wrap(row));
            List<GenericRecord> list = byPartition.get(key);
            if (list == null) {
                list = new ArrayList<>();
                byPartition.put(key.copy(), list);
            }
            list.add(row);
        }
        List<DeleteFile> files = new ArrayList<>();
        int[] positions = ChangeSet.keyPositions(schema, keyColumns);
        for (var e : byPartition.entrySet()) {
            StructLike partition = spec.isPartitioned() ? e.getKey() : null;
            EqualityDeleteWriter<Record> writer = factory.newEqDeleteWriter(output(spec, partition), FileFormat.PARQUET, partition);
            try (writer) {
                GenericRecord k = GenericRecord.create(deleteSchema);
                for (GenericRecord row : e.getValue()) {
                    for (int i = 0; i < positions.length; i++) {
                        k.set(i, row.get(positions[i]));
                    }
                    writer.write(k);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            files.add(writer.toDeleteFile());
        }
        written.addAll(files);
        return files;
    }

    /** Deletes every file written (nothing was committed). */
    void abort() {
        for (DeleteFile f : written) {
            try {
                table.io().deleteFile(f.location());
            } catch (RuntimeException ignored) {
                // left for 'orphans'
            }
        }
        written.clear();
    }

    /** Partition source columns must be key columns for equality deletes to land in the right partition. */
    static boolean partitionColumnsAreKeys(Table table, List<String> keyColumns) {
        var keyIds = TypeUtil.getProjectedIds(table.schema().select(keyColumns));
        return table.spec().fields().stream().allMatch(f -> keyIds.contains(f.sourceId()));
    }
}
