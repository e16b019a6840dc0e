package dev.lakehouse.iceberg;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.StructLikeMap;

/**
 * Writes records into Parquet data files of a table's current spec: one open file per partition,
 * a new file once the current one reaches the target size. Uncommitted until the caller commits
 * {@link #files()}; {@link #abort()} deletes what was written.
 */
public final class RollingDataWriter implements Closeable {
    private static final int CHECK_EVERY = 1000;

    private final Table table;
    private final PartitionSpec spec;
    private final long targetSize;
    private final GenericAppenderFactory appenders;
    private final OutputFileFactory outputs;
    private final StructLikeMap<Open> open;
    private final PartitionKey key;
    private final InternalRecordWrapper wrapper;
    private final List<DataFile> done = new ArrayList<>();

    private static final class Open {
        final StructLike partition;
        DataWriter<Record> writer;
        long rows;

        Open(StructLike partition) {
            this.partition = partition;
        }
    }

    public RollingDataWriter(Table table, long targetSize) {
        this.table = table;
        this.spec = table.spec();
        this.targetSize = targetSize > 0 ? targetSize : PropertyUtil.propertyAsLong(table.properties(),
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        this.appenders = new GenericAppenderFactory(table.schema(), spec);
        this.appenders.setAll(table.properties());
        if (!table.properties().containsKey(TableProperties.PARQUET_DICT_SIZE_BYTES)) {
            // Parquet's default 2 MB dictionary makes every unique id, amount and timestamp go through a hash
            // map before falling back (~15% of convert's CPU); 64 KB still dictionary-encodes low-cardinality
            // columns (status, currency, country). A table property set by the user wins.
            this.appenders.set(TableProperties.PARQUET_DICT_SIZE_BYTES, Integer.toString(64 * 1024));
        }
        this.outputs = OutputFileFactory.builderFor(table, 1, System.nanoTime())
                .format(FileFormat.PARQUET)
                .operationId(UUID.randomUUID().toString())
                .build();
        this.open = StructLikeMap.create(spec.partitionType());
        this.key = new PartitionKey(spec, table.schema());
        this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
    }

    /** Writes a record; its partition is computed from its values. */
    public void write(Record record) {
        StructLike partition = null;
        if (spec.isPartitioned()) {
            key.partition(wrapper.wrap(record));
            partition = key;
        }
        write(record, partition);
    }

    /** Writes a record whose partition (in the current spec) the caller already knows. */
    public void write(Record record, StructLike partition) {
        Open o = open.get(partition);
        if (o == null) {
            StructLike copy = partition == null ? null : copy(partition);
            o = new Open(copy);
            open.put(copy, o);
        }
        if (o.writer == null) {
            // unpartitioned: the no-partition form, else the location gets an empty path segment (data//file)
            var file = spec.isPartitioned() ? outputs.newOutputFile(spec, o.partition) : outputs.newOutputFile();
            o.writer = appenders.newDataWriter(file, FileFormat.PARQUET, o.partition);
        }
        o.writer.write(record);
        if (++o.rows % CHECK_EVERY == 0 && o.writer.length() >= targetSize) {
            roll(o);
        }
    }

    private StructLike copy(StructLike partition) {
        return partition instanceof PartitionKey pk ? pk.copy() : partition;
    }

    private void roll(Open o) {
        try {
            o.writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        done.add(o.writer.toDataFile());
        o.writer = null;
        o.rows = 0;
    }

    /** Closes the open files; returns every file written. */
    public List<DataFile> files() {
        for (Open o : open.values()) {
            if (o.writer != null) {
                roll(o);
            }
        }
        return List.copyOf(done);
    }

    /** Deletes every file written (nothing was committed). */
    public void abort() {
        for (Open o : open.values()) {
            if (o.writer != null) {
                try {
                    o.writer.close();
                    done.add(o.writer.toDataFile());
                } catch (IOException | RuntimeException ignored) {
                    // the file is deleted below or never existed
                }
                o.writer = null;
            }
        }
        for (DataFile f : done) {
            try {
                table.io().deleteFile(f.location());
            } catch (RuntimeException ignored) {
                // left behind: 'orphans' finds it
            }
        }
        done.clear();
    }

    @Override
    public void close() {
        files();
    }
}
