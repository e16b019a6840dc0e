package dev.lakehouse.iceberg;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PartitionUtil;

/**
 * Reads the live rows of one scan task: the data file's rows (by field id, or by name through the
 * table's name mapping for imported files) with the task's position and equality deletes applied,
 * using Iceberg's own delete filter.
 */
public final class ScanTaskReader {
    /** Delete files loaded once per reader, up to a quarter of the heap. */
    private static final long CACHE_BUDGET = Runtime.getRuntime().maxMemory() / 4;

    private final Table table;
    private final NameMapping mapping;
    private final Map<String, Object> deleteCache = new HashMap<>();
    private long cached;

    public ScanTaskReader(Table table) {
        this.table = table;
        String json = table.properties().get(TableProperties.DEFAULT_NAME_MAPPING);
        this.mapping = json == null ? null : NameMappingParser.fromJson(json);
    }

    /** Rows in the table schema's column order (extra trailing columns may follow, for deletes). */
    public CloseableIterable<Record> open(FileScanTask task) {
        return open(task, table.schema());
    }

    /**
     * Live rows with only the {@code projection}'s columns first, in its order (it may include
     * metadata columns such as {@code _pos}); extra trailing columns may follow, for deletes.
     */
    public CloseableIterable<Record> open(FileScanTask task, Schema projection) {
        GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, table.schema(), projection) {
            @Override
            protected DeleteLoader newDeleteLoader() {
                return new CachingDeleteLoader(this::loadInputFile);
            }
        };
        Schema readSchema = deletes.requiredSchema();
        Map<Integer, ?> constants = PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
        Parquet.ReadBuilder read = Parquet.read(table.io().newInputFile(task.file().location(), task.file().fileSizeInBytes()))
                .project(readSchema)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(readSchema, fileSchema, constants))
                .split(task.start(), task.length());
        if (mapping != null) {
            read.withNameMapping(mapping);
        }
        return deletes.filter(read.build());
    }

    /**
     * Iceberg's default loader reads delete files on a shared pool and polls for the result
     * (milliseconds per task, which dominates compacting many small files), and re-reads the same
     * delete files for every data file. This one reads in the calling thread and keeps what it read
     * for the next tasks of this reader.
     */
    private final class CachingDeleteLoader extends BaseDeleteLoader {
        CachingDeleteLoader(Function<DeleteFile, InputFile> loadInputFile) {
            super(loadInputFile, null);
        }

        @Override
        protected boolean canCache(long size) {
            return cached + size <= CACHE_BUDGET;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected <V> V getOrLoad(String key, Supplier<V> valueSupplier, long valueSize) {
            Object value = deleteCache.get(key);
            if (value == null) {
                value = valueSupplier.get();
                deleteCache.put(key, value);
                cached += valueSize;
            }
            return (V) value;
        }
    }
}
