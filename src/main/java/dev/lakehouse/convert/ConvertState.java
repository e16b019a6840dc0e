package dev.lakehouse.convert;

import dev.lakehouse.convert.RawFiles.RawFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;

/**
 * What convert has applied to a table, kept in the summary of the snapshot that applied it (so it
 * commits atomically with the data): how many LOAD files of the current full-load series (and a
 * digest of their names, sizes and times, which detects a reload), the last CDC file applied (files
 * are applied in order, so this is a watermark), and the newest source commit time applied.
 * Snapshots made by other operations (compaction) carry no state: the newest ancestor that does
 * is read.
 */
public record ConvertState(String source, int loadFiles, String loadDigest, String cdcWatermark, Instant newestCommit) {
    public static final String PREFIX = "lakehouse.convert.";
    public static final String SOURCE = PREFIX + "source";
    public static final String LOAD_FILES = PREFIX + "load-files";
    public static final String LOAD_DIGEST = PREFIX + "load-digest";
    public static final String CDC_WATERMARK = PREFIX + "cdc-watermark";
    public static final String NEWEST_COMMIT = PREFIX + "newest-commit";

    public static final ConvertState NONE = new ConvertState(null, 0, digest(List.of()), null, null);

    /** The state of the newest snapshot (on the current branch) that convert committed. */
    public static ConvertState read(Table table) {
        for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            Map<String, String> summary = s.summary();
            if (summary != null && summary.containsKey(LOAD_DIGEST)) {
                return new ConvertState(summary.get(SOURCE), Integer.parseInt(summary.getOrDefault(LOAD_FILES, "0")),
                        summary.get(LOAD_DIGEST), summary.get(CDC_WATERMARK),
                        summary.containsKey(NEWEST_COMMIT) ? Instant.parse(summary.get(NEWEST_COMMIT)) : null);
            }
        }
        return NONE;
    }

    /** Records this state in the snapshot being committed. */
    public void writeTo(SnapshotUpdate<?> update) {
        update.set(SOURCE, source);
        update.set(LOAD_FILES, Integer.toString(loadFiles));
        update.set(LOAD_DIGEST, loadDigest);
        if (cdcWatermark != null) {
            update.set(CDC_WATERMARK, cdcWatermark);
        }
        if (newestCommit != null) {
            update.set(NEWEST_COMMIT, newestCommit.toString());
        }
    }

    public ConvertState withLoads(List<RawFile> applied) {
        return new ConvertState(source, applied.size(), digest(applied), cdcWatermark, newestCommit);
    }

    public ConvertState withCdcWatermark(String watermark) {
        return new ConvertState(source, loadFiles, loadDigest, watermark, newestCommit);
    }

    public ConvertState withNewestCommit(Instant commit) {
        Instant newest = newestCommit == null || (commit != null && commit.isAfter(newestCommit)) ? commit : newestCommit;
        return new ConvertState(source, loadFiles, loadDigest, cdcWatermark, newest);
    }

    public ConvertState withSource(String folder) {
        return new ConvertState(folder, loadFiles, loadDigest, cdcWatermark, newestCommit);
    }

    /** Identifies a series of LOAD files: a rewritten (reloaded) file changes its size or time. */
    public static String digest(List<RawFile> loads) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (RawFile f : loads) {
                md.update((f.relative() + "|" + f.size() + "|" + f.modifiedMillis() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
