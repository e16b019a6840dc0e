package dev.lakehouse.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;

/** The live data and delete files of a snapshot, read from its manifests. */
public final class TableFiles {
    private TableFiles() {
    }

    /** Calls {@code sink} with every live data and delete file of {@code snapshot} (copies, safe to keep). */
    public static void forEach(Table table, Snapshot snapshot, Consumer<ContentFile<?>> sink) {
        if (snapshot == null) {
            return;
        }
        try {
            for (ManifestFile manifest : snapshot.dataManifests(table.io())) {
                try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())) {
                    for (DataFile file : reader) {
                        sink.accept(file.copyWithoutStats());
                    }
                }
            }
            for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
                try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                    for (DeleteFile file : reader) {
                        sink.accept(file.copyWithoutStats());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifests of " + table.name(), e);
        }
    }

    public static List<ContentFile<?>> list(Table table, Snapshot snapshot) {
        List<ContentFile<?>> files = new ArrayList<>();
        forEach(table, snapshot, files::add);
        return files;
    }

    /** The size under which a data file counts as small: compaction's minimum (75% of the target). */
    public static long smallFileThreshold(Table table) {
        long target = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        return (long) (target * 0.75);
    }

    /** data, position_deletes or equality_deletes. */
    public static String kind(ContentFile<?> file) {
        return switch (file.content()) {
            case DATA -> "data";
            case POSITION_DELETES -> "position_deletes";
            case EQUALITY_DELETES -> "equality_deletes";
        };
    }

    /** Totals over a snapshot's files, for describe and list --long. */
    public record Stats(long dataFiles, long dataBytes, long records, long positionDeleteFiles,
                        long equalityDeleteFiles, long deleteBytes, long deleteRecords, long smallFiles) {
        public long averageDataFileSize() {
            return dataFiles == 0 ? 0 : dataBytes / dataFiles;
        }
    }

    public static Stats stats(Table table, Snapshot snapshot) {
        long small = smallFileThreshold(table);
        long[] t = new long[8];
        forEach(table, snapshot, f -> {
            if (f.content() == FileContent.DATA) {
                t[0]++;
                t[1] += f.fileSizeInBytes();
                t[2] += f.recordCount();
                if (f.fileSizeInBytes() < small) {
                    t[7]++;
                }
            } else {
                t[f.content() == FileContent.POSITION_DELETES ? 3 : 4]++;
                t[5] += f.fileSizeInBytes();
                t[6] += f.recordCount();
            }
        });
        return new Stats(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
    }
}
