package dev.lakehouse.iceberg;

import static dev.lakehouse.cli.LakehouseException.firstLine;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.StructLikeWrapper;

/**
 * Bin-packs small data files toward the target size, applying the position and equality deletes
 * of the files it rewrites so the new files need none. Planning is Iceberg's
 * ({@link BinPackRewriteFilePlanner}); rows are read with Iceberg's delete filter and written with
 * Iceberg's Parquet writer. One rewrite commit validated from the starting snapshot: a concurrent
 * append is kept; a concurrent delete touching rewritten files is a conflict, after which the
 * written files are removed and compaction re-plans (up to {@code maxAttempts}) or fails with the
 * table unchanged. Delete files that no live data file needs any more are removed in the same
 * commit (Iceberg's commit manager only removes v3 deletion vectors).
 */
public final class Compaction {
    /** Summary key on compaction snapshots. */
    public static final String SUMMARY_KEY = "lakehouse.compact";

    public record Options(long targetSize, Expression filter, int minInputFiles, boolean dryRun, int maxAttempts) {
    }

    public record GroupPlan(String partition, int files, long bytes, int deleteFiles, int expectedOutputFiles) {
    }

    public record Result(List<GroupPlan> plan, int filesRewritten, long bytesRewritten, int filesAdded, long bytesAdded,
                         int deleteFilesRemoved, Long snapshotId, int attempts, boolean dryRun) {
        public long planFiles() {
            return plan.stream().mapToLong(GroupPlan::files).sum();
        }

        public long planBytes() {
            return plan.stream().mapToLong(GroupPlan::bytes).sum();
        }
    }

    private final Table table;
    private final Progress progress;
    private Runnable beforeCommit = () -> { };
    private Runnable afterCommit = () -> { };

    public Compaction(Table table, Progress progress) {
        this.table = table;
        this.progress = progress;
    }

    /** Runs just before the commit (tests use it to commit something concurrently). */
    Compaction beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
        return this;
    }

    /** Runs just after the commit (tests use it to fail there, as reading the table back can). */
    Compaction afterCommit(Runnable hook) {
        this.afterCommit = hook;
        return this;
    }

    /** A failure after the commit succeeded: the written files are the table's now and must stay. */
    private static final class FailedAfterCommit extends RuntimeException {
        FailedAfterCommit(RuntimeException cause) {
            super(cause);
        }
    }

    public Result run(Options options) {
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            Snapshot start = table.currentSnapshot();
            if (start == null) {
                return new Result(List.of(), 0, 0, 0, 0, 0, null, attempt, options.dryRun());
            }
            List<RewriteFileGroup> groups = plan(start, options);
            List<GroupPlan> plan = groups.stream().map(this::describe).toList();
            if (options.dryRun() || groups.isEmpty()) {
                return new Result(plan, 0, 0, 0, 0, 0, null, attempt, options.dryRun());
            }
            List<RollingDataWriter> writers = new ArrayList<>();
            try {
                Result result = rewriteAndCommit(start, groups, plan, options, writers, attempt);
                return result;
            } catch (FailedAfterCommit e) {
                throw LakehouseException.failed("The compaction of " + TableInspector.name(table) + " was committed, but"
                        + " reading the table back failed (" + firstLine(e.getCause()) + "); see 'lakehouse iceberg snapshots'",
                        e.getCause());
            } catch (CommitStateUnknownException e) {
                throw LakehouseException.failed("Cannot tell whether the compaction of " + table.name() + " was committed ("
                        + e.getMessage() + "); the written files were kept: check 'lakehouse iceberg snapshots' before"
                        + " running it again", e);
            } catch (ValidationException e) {
                writers.forEach(RollingDataWriter::abort);
                if (attempt >= options.maxAttempts()) {
                    throw LakehouseException.failed("Cannot compact " + TableInspector.name(table) + ": it changed"
                            + " concurrently in a way that conflicts with the rewrite (" + firstLine(e) + "), " + attempt
                            + " attempt(s); nothing was committed, run it again", e);
                }
            } catch (RuntimeException e) {
                writers.forEach(RollingDataWriter::abort);
                throw e;
            }
        }
    }

    private List<RewriteFileGroup> plan(Snapshot start, Options options) {
        BinPackRewriteFilePlanner planner = new BinPackRewriteFilePlanner(table, options.filter(), start.snapshotId(), false);
        Map<String, String> planOptions = new HashMap<>();
        if (options.targetSize() > 0) {
            planOptions.put(SizeBasedFileRewritePlanner.TARGET_FILE_SIZE_BYTES, Long.toString(options.targetSize()));
        }
        planOptions.put(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, Integer.toString(options.minInputFiles()));
        // any file with deletes is rewritten, so the result needs no delete files
        planOptions.put(BinPackRewriteFilePlanner.DELETE_FILE_THRESHOLD, "1");
        planner.init(planOptions);
        List<RewriteFileGroup> groups = new ArrayList<>();
        try (CloseableIterable<RewriteFileGroup> planned = planner.plan().groups()) {
            planned.forEach(groups::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    private GroupPlan describe(RewriteFileGroup group) {
        Set<String> deletes = new HashSet<>();
        for (FileScanTask task : group.fileScanTasks()) {
            task.deletes().forEach(d -> deletes.add(d.location()));
        }
        PartitionSpec spec = table.specs().get(group.fileScanTasks().get(0).file().specId());
        String partition = spec.isUnpartitioned() ? "" : spec.partitionToPath(group.fileScanTasks().get(0).file().partition());
        return new GroupPlan(partition, group.rewrittenFiles().size(), group.inputFilesSizeInBytes(), deletes.size(),
                group.expectedOutputFiles());
    }

    private Result rewriteAndCommit(Snapshot start, List<RewriteFileGroup> groups, List<GroupPlan> plan, Options options,
                                    List<RollingDataWriter> writers, int attempt) {
        progress.total(plan.stream().mapToLong(GroupPlan::files).sum());
        ScanTaskReader reader = new ScanTaskReader(table);
        Set<DataFile> rewritten = new HashSet<>();
        List<DataFile> added = new ArrayList<>();
        for (RewriteFileGroup group : groups) {
            RollingDataWriter writer = new RollingDataWriter(table, options.targetSize());
            writers.add(writer);
            boolean sameSpec = group.fileScanTasks().stream().allMatch(t -> t.file().specId() == table.spec().specId());
            Set<String> seen = new HashSet<>();
            for (FileScanTask task : group.fileScanTasks()) {
                try (CloseableIterable<Record> rows = reader.open(task)) {
                    for (Record row : rows) {
                        if (sameSpec) {
                            writer.write(row, table.spec().isPartitioned() ? task.file().partition() : null);
                        } else {
                            writer.write(row);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + task.file().location(), e);
                }
                if (seen.add(task.file().location())) {
                    progress.advance(1);
                }
            }
            added.addAll(writer.files());
            rewritten.addAll(group.rewrittenFiles());
        }
        Map<String, DeleteFile> candidates = new HashMap<>();
        groups.forEach(g -> g.fileScanTasks().forEach(t -> t.deletes().forEach(d -> candidates.putIfAbsent(d.location(), d))));
        List<DeleteFile> dangling = danglingDeletes(start, rewritten, candidates.keySet());
        beforeCommit.run();
        RewriteFiles rewrite = table.newRewrite()
                .validateFromSnapshot(start.snapshotId())
                .dataSequenceNumber(start.sequenceNumber());
        rewritten.forEach(rewrite::deleteFile);
        added.forEach(rewrite::addFile);
        dangling.forEach(rewrite::deleteFile);
        rewrite.set(SUMMARY_KEY, "bin-pack");
        rewrite.commit();
        // committed: a failure from here on (say the catalog throttles the refresh) must not abort the
        // writers, which would delete the files the table now references
        try {
            afterCommit.run();
            table.refresh();
            return new Result(plan, rewritten.size(), rewritten.stream().mapToLong(ContentFile::fileSizeInBytes).sum(),
                    added.size(), added.stream().mapToLong(ContentFile::fileSizeInBytes).sum(), dangling.size(),
                    table.currentSnapshot().snapshotId(), attempt, false);
        } catch (RuntimeException e) {
            throw new FailedAfterCommit(e);
        }
    }

    /**
     * Delete files (of those the rewritten files had) that no live data file will need once
     * {@code rewritten} are gone: position deletes
     * whose data files are all rewritten, and equality deletes with no older live data file left in
     * their partition (new files carry the starting sequence number, so old equality deletes do not
     * apply to them).
     */
    private List<DeleteFile> danglingDeletes(Snapshot start, Set<DataFile> rewritten, Set<String> candidates) {
        Set<String> rewrittenPaths = rewritten.stream().map(ContentFile::location).collect(Collectors.toSet());
        Set<String> remaining = new HashSet<>();
        Map<Object, Long> minSeqByPartition = new HashMap<>();
        List<DeleteFile> deletes = new ArrayList<>();
        TableFiles.forEach(table, start, f -> {
            if (f.content() == FileContent.DATA) {
                if (!rewrittenPaths.contains(f.location())) {
                    remaining.add(f.location());
                    minSeqByPartition.merge(partitionKey(f), f.dataSequenceNumber(), Math::min);
                    minSeqByPartition.merge("*", f.dataSequenceNumber(), Math::min);
                }
            } else if (candidates.contains(f.location())) {
                deletes.add((DeleteFile) f);
            }
        });
        List<DeleteFile> dangling = new ArrayList<>();
        for (DeleteFile d : deletes) {
            if (d.content() == FileContent.POSITION_DELETES) {
                if (referencedPaths(d).stream().noneMatch(remaining::contains)) {
                    dangling.add(d);
                }
            } else {
                boolean global = table.specs().get(d.specId()).isUnpartitioned();
                Long minSeq = minSeqByPartition.get(global ? "*" : partitionKey(d));
                if (minSeq == null || minSeq >= d.dataSequenceNumber()) {
                    dangling.add(d);
                }
            }
        }
        return dangling;
    }

    private Object partitionKey(ContentFile<?> f) {
        PartitionSpec spec = table.specs().get(f.specId());
        return List.of(f.specId(), StructLikeWrapper.forType(spec.partitionType()).set(f.partition()));
    }

    /** The data file paths a position delete file references. */
    private Set<String> referencedPaths(DeleteFile d) {
        if (d.referencedDataFile() != null) {
            return Set.of(d.referencedDataFile());
        }
        Set<String> paths = new HashSet<>();
        Schema pathOnly = new Schema(MetadataColumns.DELETE_FILE_PATH);
        try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(d.location()))
                .project(pathOnly)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(pathOnly, fileSchema))
                .build()) {
            for (Record r : rows) {
                paths.add(Objects.toString(r.get(0)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }
}
