package dev.lakehouse.convert;

import static dev.lakehouse.cli.LakehouseException.firstLine;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.ChangeSet.Change;
import dev.lakehouse.convert.RawFiles.Listing;
import dev.lakehouse.convert.RawFiles.RawFile;
import dev.lakehouse.env.TableMapping;
import dev.lakehouse.env.TableMapping.WriteMode;
import dev.lakehouse.iceberg.PartitionSpecs;
import dev.lakehouse.iceberg.RollingDataWriter;
import dev.lakehouse.iceberg.ScanTaskReader;
import dev.lakehouse.iceberg.TableFiles;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.output.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Applies what DMS wrote for one source table to its Iceberg table, exactly once: every LOAD file
 * (counter order) before any CDC file (name order), rows in file order or by change sequence, the
 * last change per key winning. Works in batches of {@code batch_rows} changes; each batch is one
 * Iceberg commit that also records, in the snapshot summary, which raw files it applied
 * ({@link ConvertState}). A re-run after any failure resumes after the last commit; a concurrent
 * commit makes Iceberg's validation fail the batch, which is then re-planned from the table's state.
 */
public final class Converter {
    /** Threads for reading and writing files: one per core. */
    private static final int WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final String COUNT_PREFIX = ConvertState.PREFIX;
    private static final int MAX_ATTEMPTS = 5;

    /** What a run would do (the dry run) or did. */
    public record Plan(String table, String source, String folder, int loadFiles, boolean reload, int cdcFiles,
                       int supersededCdcFiles, long estimatedRows, List<String> ignoredFiles) {
        public boolean upToDate() {
            return loadFiles == 0 && cdcFiles == 0 && supersededCdcFiles == 0;
        }
    }

    public record Result(String table, String source, int files, long inserted, long updated, long deleted,
                         long ignoredDeletes, Instant newestCommit, int commits, boolean reload) {
    }

    /** Whether a table's first convert may go to DuckDB ({@link BulkLoad}); tests turn it off to cover the Java path. */
    static volatile boolean bulkLoads = true;

    private final Warehouse warehouse;
    private final FileIO io;
    private final Progress progress;
    private Runnable afterCommit = () -> { };

    public Converter(Warehouse warehouse, Progress progress) {
        this.warehouse = warehouse;
        this.io = warehouse.files();
        this.progress = progress;
    }

    /** Runs after each commit (tests use it to interleave other writers). */
    Converter afterCommit(Runnable hook) {
        this.afterCommit = hook;
        return this;
    }

    /** The raw folder of a mapping: RAW_ZONE/schema/table. */
    public String folder(TableMapping m) {
        String raw = warehouse.environment().rawZone();
        if (raw == null) {
            throw LakehouseException.failed("env " + warehouse.environment().name() + " has no raw zone: it comes from the"
                    + " Terraform output 'lakehouse' (key raw_zone) or overrides: in " + warehouse.environment().file());
        }
        return (raw.endsWith("/") ? raw : raw + "/") + m.sourceSchema() + "/" + m.sourceTable();
    }

    // ---------------------------------------------------------------- planning

    private record Work(TableMapping mapping, Table table, ConvertState state, List<RawFile> appliedLoads,
                        List<RawFile> loads, boolean reload, List<RawFile> cdcs, List<RawFile> superseded,
                        Listing listing, String folder, List<RawFile> series) {
    }

    private Work work(TableMapping m, Table table) {
        String folder = folder(m);
        Listing listing = RawFiles.list(io, folder);
        ConvertState state = table == null ? ConvertState.NONE : ConvertState.read(table);
        List<RawFile> all = listing.loads();
        List<RawFile> applied = List.of();
        List<RawFile> loads;
        boolean reload = false;
        boolean nothingApplied = state.loadFiles() == 0 && state.cdcWatermark() == null;
        boolean sameSeries = state.loadFiles() <= all.size()
                && ConvertState.digest(all.subList(0, state.loadFiles())).equals(state.loadDigest());
        if (nothingApplied) {
            loads = all;
        } else if (sameSeries) {
            applied = all.subList(0, state.loadFiles());
            loads = all.subList(state.loadFiles(), all.size());
            if (!loads.isEmpty() && state.cdcWatermark() != null) {
                // LOAD files after changes were applied: a new full load (reload) of the table, in its
                // own files only (the applied ones are the old full load: applied again, every reloaded
                // key would be in twice and rows deleted since would come back)
                reload = true;
                List<RawFile> reloaded = writtenAfterLastChange(all, state);
                loads = reloaded.isEmpty() ? loads : reloaded;
            }
        } else if (all.isEmpty()) {
            loads = List.of(); // the LOAD files were removed (e.g. truncate): nothing to reload
        } else {
            // LOAD files were rewritten: DMS reloaded the table, in the LOAD files written after the
            // last change applied. Older ones are left from the full load the table has (a reload
            // with fewer files) and would bring back deleted rows. None newer: some LOAD files are
            // gone (expired), nothing to reload.
            loads = state.cdcWatermark() == null ? all : writtenAfterLastChange(all, state);
            reload = !loads.isEmpty();
        }
        List<RawFile> cdcs = new ArrayList<>();
        for (RawFile f : listing.cdcs()) {
            if (state.cdcWatermark() == null || f.watermarkKey().compareTo(state.cdcWatermark()) > 0) {
                cdcs.add(f);
            }
        }
        List<RawFile> superseded = new ArrayList<>();
        if (reload && !loads.isEmpty()) {
            // Changes committed before the reload started are part of its LOAD files already.
            long reloadStart = loads.stream().mapToLong(RawFile::modifiedMillis).min().orElse(Long.MAX_VALUE);
            for (RawFile f : List.copyOf(cdcs)) {
                if (RawFiles.cdcTimeMillis(f) < reloadStart) {
                    superseded.add(f);
                    cdcs.remove(f);
                }
            }
        }
        return new Work(m, table, state.withSource(folder), applied, loads, reload, cdcs, superseded, listing, folder, all);
    }

    /**
     * The LOAD files of a reload: those written (S3's LastModified) at or after the time of the last
     * change file applied. DMS writes no change files for a table while it reloads it (the changes
     * are cached, then written), so a reload seen half-written by one convert and finished by the
     * next is one series either way, and the old full load's files are older than that change.
     */
    private static List<RawFile> writtenAfterLastChange(List<RawFile> all, ConvertState state) {
        String watermark = state.cdcWatermark();
        long changeTime = RawFiles.orderMillis(watermark.substring(0, watermark.indexOf('|')));
        return all.stream().filter(f -> f.modifiedMillis() >= changeTime).toList();
    }

    /**
     * What another engine (Athena) needs to apply the pending raw files itself: the table (created,
     * and its schema evolved, from the raw files' columns), the files in apply order, the state.
     */
    public record Pending(Table table, ConvertState state, List<RawFile> files, List<RawSchema> schemas, boolean reload,
                          List<RawFile> superseded, List<RawFile> appliedLoads, int loadFiles) {
    }

    public Pending pending(TableMapping m, boolean createTable) {
        TableIdentifier id = warehouse.identifier(m.target());
        Table table = warehouse.loadIfExists(id);
        Work w = work(m, table);
        List<RawFile> files = new ArrayList<>(w.loads());
        files.addAll(w.cdcs());
        List<RawSchema> schemas = schemas(files, m);
        if (!schemas.isEmpty() && createTable && (table != null || anyColumns(schemas, m))) {
            if (table == null) {
                table = create(m, schemas);
            } else {
                evolve(table, m, schemas);
            }
        }
        return new Pending(table, w.state(), files, schemas, w.reload(), w.superseded(), w.appliedLoads(), w.loads().size());
    }

    /**
     * Records, after another engine applied {@code applied} (in apply order, continuing
     * {@code pending}), that the table has them: a commit with no data, only the convert state.
     */
    public ConvertState record(Pending pending, ConvertState state, List<RawFile> applied, List<RawFile> loadsSoFar) {
        Table table = pending.table();
        table.refresh();
        ConvertState next = state.withLoads(loadsSoFar);
        for (RawFile f : applied) {
            if (f.kind() == RawFiles.Kind.CDC) {
                next = next.withCdcWatermark(f.watermarkKey()).withNewestCommit(Instant.ofEpochMilli(RawFiles.cdcTimeMillis(f)));
            }
        }
        RowDelta delta = table.newRowDelta();
        delta.set(COUNT_PREFIX + "engine", "athena");
        commit(table, delta, table.currentSnapshot(), next, applied.size(), 0, 0, 0);
        return next;
    }

    /** What convert would do now, changing nothing. */
    public Plan plan(TableMapping m) {
        TableIdentifier id = warehouse.identifier(m.target());
        Table table = warehouse.loadIfExists(id);
        Work w = work(m, table);
        long rows = 0;
        for (RawSchema raw : schemas(w.loads(), m)) {
            rows += raw.rows();
        }
        for (RawSchema raw : schemas(w.cdcs(), m)) {
            rows += raw.rows();
        }
        return new Plan(m.target(), m.source(), w.folder(), w.loads().size(), w.reload(), w.cdcs().size(),
                w.superseded().size(), rows, w.listing().ignored());
    }

    // ---------------------------------------------------------------- applying

    /** Counts across the commits of one run. */
    private static final class Tally {
        int files;
        long inserted;
        long updated;
        long deleted;
        long ignoredDeletes;
        int commits;
        boolean reload;
        Instant newest;
    }

    public Result convert(TableMapping m) {
        Tally tally = new Tally();
        TableIdentifier id = warehouse.identifier(m.target());
        ConvertState seen = null;
        int conflicts = 0;
        while (true) {
            List<Runnable> cleanup = new ArrayList<>();
            Work w = null;
            try {
                Table table = warehouse.loadIfExists(id);
                w = work(m, table);
                progress.total(w.loads().size() + w.cdcs().size());
                apply(w, tally, cleanup);
                return new Result(m.target(), m.source(), tally.files, tally.inserted, tally.updated, tally.deleted,
                        tally.ignoredDeletes, tally.newest, tally.commits, tally.reload);
            } catch (ValidationException | CommitFailedException | AlreadyExistsException e) {
                cleanup.forEach(Runnable::run);
                // Another writer committed first. If it moved the convert state on, there is less left to do:
                // keep going. Only conflicts that leave the state where it was count against the limit.
                ConvertState now = w == null ? null : w.state();
                conflicts = now != null && now.equals(seen) ? conflicts + 1 : 1;
                seen = now;
                if (conflicts >= MAX_ATTEMPTS) {
                    throw LakehouseException.failed("Cannot convert " + m.source() + ": table " + m.target()
                            + " kept changing concurrently (" + firstLine(e) + "); what was committed is kept,"
                            + " run convert again", e);
                }
                backOff(conflicts);
            } catch (CommitStateUnknownException e) {
                throw LakehouseException.failed("Cannot tell whether the last commit to " + m.target() + " succeeded ("
                        + firstLine(e) + "); run convert again: it resumes from what the table recorded", e);
            } catch (RuntimeException e) {
                cleanup.forEach(Runnable::run);
                throw e;
            }
        }
    }

    /** A random pause that grows with repeated conflicts, so two converts stop colliding in step. */
    private static void backOff(int conflicts) {
        try {
            Thread.sleep((long) (Math.random() * 100 * conflicts));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LakehouseException.failed("Interrupted while retrying a commit", e);
        }
    }

    private void apply(Work w, Tally tally, List<Runnable> cleanup) {
        TableMapping m = w.mapping();
        if (w.loads().isEmpty() && w.cdcs().isEmpty() && w.superseded().isEmpty()) {
            return;
        }
        // Every footer first: a truncated or mismatched file stops the table before anything is committed.
        List<RawSchema> loads = schemas(w.loads(), m);
        List<RawSchema> cdcs = schemas(w.cdcs(), m);
        List<RawSchema> all = new ArrayList<>(loads);
        all.addAll(cdcs);
        Table table = w.table();
        if (table == null) {
            if (!anyColumns(all, m)) {
                return; // nothing yet but empty files: the table is made from the first file with columns
            }
            table = create(m, all);
        } else {
            evolve(table, m, all);
        }
        checkMode(m, table);
        if (bulkLoads && table.currentSnapshot() == null && !w.reload() && w.superseded().isEmpty()
                && bulkLoad(w, table, loads, cdcs, tally, cleanup)) {
            return;
        }

        ConvertState state = w.state();
        List<RawFile> appliedLoads = new ArrayList<>(w.appliedLoads());
        boolean replace = w.reload();
        if (replace) {
            tally.reload = true;
        }
        // LOAD files: appended as they are (a full load has one row per key). Nothing is held in
        // memory, so a commit takes batch_rows per worker thread: fewer, larger files, all cores busy.
        long loadBatchRows = (long) m.batchRows() * WORKERS;
        List<RawSchema> batch = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < loads.size(); i++) {
            batch.add(loads.get(i));
            rows += loads.get(i).rows();
            // a reload replaces the table in one commit: resumed halfway, the rest of its files
            // could not be told from a further reload, and readers never see half a table
            if ((rows >= loadBatchRows && !w.reload()) || i == loads.size() - 1) {
                appliedLoads.addAll(batch.stream().map(RawSchema::file).toList());
                // a reload records the whole LOAD listing: files left from before it are not a further reload
                ConvertState next = state.withLoads(replace ? w.series() : appliedLoads);
                if (replace && !w.superseded().isEmpty()) {
                    next = next.withCdcWatermark(w.superseded().get(w.superseded().size() - 1).watermarkKey());
                }
                state = commitLoads(table, m, batch, replace, next, tally, cleanup);
                replace = false;
                batch.clear();
                rows = 0;
            }
        }
        // CDC files: the last change per key of each batch
        for (int i = 0; i < cdcs.size(); i++) {
            batch.add(cdcs.get(i));
            rows += cdcs.get(i).rows();
            if (rows >= m.batchRows() || i == cdcs.size() - 1) {
                state = commitChanges(table, m, batch, state, tally, cleanup);
                batch.clear();
                rows = 0;
            }
        }
        if (cdcs.isEmpty() && loads.isEmpty() && !w.superseded().isEmpty()) {
            // only superseded files: record that they need nothing
            commit(table, table.newRowDelta(), table.currentSnapshot(),
                    state.withCdcWatermark(w.superseded().get(w.superseded().size() - 1).watermarkKey()), 0, 0, 0, 0);
            tally.commits++;
        }
        tally.files += w.superseded().size();
    }

    /**
     * A table's first convert in one DuckDB pass and one commit; false (nothing written) when the
     * raw files need the Java path after all.
     */
    private boolean bulkLoad(Work w, Table table, List<RawSchema> loads, List<RawSchema> cdcs, Tally tally,
                             List<Runnable> cleanup) {
        TableMapping m = w.mapping();
        BulkLoad.Outcome o = BulkLoad.run(table, m, loads, cdcs, io);
        if (o == null) {
            return false;
        }
        cleanup.add(() -> o.files().forEach(f -> io.deleteFile(f.location())));
        RowDelta delta = table.newRowDelta();
        o.files().forEach(delta::addRows);
        ConvertState state = w.state().withLoads(w.loads()).withNewestCommit(instant(o.newestLoadCommit()));
        if (!w.cdcs().isEmpty()) {
            RawFile last = w.cdcs().get(w.cdcs().size() - 1);
            // without a timestamp column, a CDC file's name time bounds its commit times from above
            state = state.withCdcWatermark(last.watermarkKey()).withNewestCommit(o.newestChangeCommit() != null
                    ? instant(o.newestChangeCommit()) : Instant.ofEpochMilli(RawFiles.cdcTimeMillis(last)));
        }
        delta.set(COUNT_PREFIX + "engine", "duckdb");
        int files = w.loads().size() + w.cdcs().size();
        long inserted = o.loadRows() + o.inserted();
        commit(table, delta, null, state, files, inserted, o.updated(), o.deleted());
        cleanup.clear();
        progress.advance(files);
        tally.files += files;
        tally.inserted += inserted;
        tally.updated += o.updated();
        tally.deleted += o.deleted();
        tally.commits++;
        tally.newest = state.newestCommit();
        afterCommit.run();
        return true;
    }

    private ConvertState commitLoads(Table table, TableMapping m, List<RawSchema> batch, boolean replace, ConvertState next,
                                     Tally tally, List<Runnable> cleanup) {
        Snapshot start = table.currentSnapshot();
        // LOAD files are independent: read and write them on all cores, one writer per thread, each
        // thread taking the next file when it is done with one (files differ in size).
        int threads = Math.max(1, Math.min(batch.size(), WORKERS));
        AtomicInteger nextFile = new AtomicInteger();
        List<LoadPart> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            RollingDataWriter writer = new RollingDataWriter(table, 0);
            cleanup.add(writer::abort);
            parts.add(new LoadPart(batch, nextFile, writer));
        }
        int[] keys = ChangeSet.keyPositions(table.schema(), m.key());
        Schema schema = table.schema();
        runAll(parts.stream().map(part -> (Runnable) () -> part.load(io, schema, m, keys)).toList());
        long rows = parts.stream().mapToLong(p -> p.rows).sum();
        String newest = parts.stream().map(p -> p.newest).reduce(null, Converter::newer);
        RowDelta delta = table.newRowDelta();
        for (LoadPart part : parts) {
            part.writer.files().forEach(delta::addRows);
        }
        if (replace) {
            TableFiles.forEach(table, start, f -> {
                if (f.content() == FileContent.DATA) {
                    delta.removeRows((DataFile) f);
                } else {
                    delta.removeDeletes((DeleteFile) f);
                }
            });
        }
        ConvertState state = next.withNewestCommit(instant(newest));
        if (replace) {
            delta.set(COUNT_PREFIX + "reload", "true");
        }
        commit(table, delta, start, state, batch.size(), rows, 0, 0);
        cleanup.clear();
        tally.files += batch.size();
        tally.inserted += rows;
        tally.commits++;
        tally.newest = state.newestCommit();
        afterCommit.run();
        return state;
    }

    /** Every row of each file (in file order), files read in parallel. */
    private List<List<RawRow>> readAll(List<RawSchema> batch, Schema schema, TableMapping m) {
        @SuppressWarnings("unchecked")
        List<RawRow>[] result = new List[batch.size()];
        onAllCores(batch.size(), i -> {
            List<RawRow> rows = new ArrayList<>();
            try (RawReader reader = new RawReader(io, batch.get(i), schema, m)) {
                reader.forEachRemaining(rows::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            result[i] = rows;
            progress.advance(1);
        });
        return Arrays.asList(result);
    }

    /** The LOAD files one thread appends, and what it saw. */
    private final class LoadPart {
        final List<RawSchema> files;
        final AtomicInteger next;
        final RollingDataWriter writer;
        long rows;
        String newest;

        LoadPart(List<RawSchema> files, AtomicInteger next, RollingDataWriter writer) {
            this.files = files;
            this.next = next;
            this.writer = writer;
        }

        void load(FileIO io, Schema schema, TableMapping m, int[] keys) {
            for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                RawSchema raw = files.get(i);
                try (RawReader reader = new RawReader(io, raw, schema, m)) {
                    while (reader.hasNext()) {
                        RawRow r = reader.next();
                        if (r.op() == 'D') {
                            continue; // a full load has no deletes; nothing to apply
                        }
                        requireKey(r.row(), keys, raw, reader.rowNumber(), m);
                        writer.write(r.row());
                        rows++;
                        newest = newer(newest, r.commitTs());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                progress.advance(1);
            }
        }
    }

    /** The footer (or CSV header) of each file, in order, read on all cores: a footer is a few small reads. */
    private List<RawSchema> schemas(List<RawFile> files, TableMapping m) {
        RawSchema[] schemas = new RawSchema[files.size()];
        onAllCores(files.size(), i -> schemas[i] = RawSchema.of(io, files.get(i), m));
        return Arrays.asList(schemas);
    }

    /** Runs task(0..count-1) on up to one thread per core, each taking the next index when done with one. */
    private static void onAllCores(int count, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        List<Runnable> workers = new ArrayList<>();
        for (int t = 0; t < Math.max(1, Math.min(count, WORKERS)); t++) {
            workers.add(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.accept(i);
                }
            });
        }
        runAll(workers);
    }

    /** Runs tasks on their own threads and waits; the first failure is rethrown as it was. */
    private static void runAll(List<Runnable> tasks) {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size(), r -> {
            Thread t = new Thread(r, "convert-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            tasks.forEach(t -> futures.add(pool.submit(t)));
            for (var f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw LakehouseException.failed("Interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private ConvertState commitChanges(Table table, TableMapping m, List<RawSchema> batch, ConvertState state, Tally tally,
                                       List<Runnable> cleanup) {
        Snapshot start = table.currentSnapshot();
        Schema schema = table.schema();
        int[] keys = ChangeSet.keyPositions(schema, m.key());
        RollingDataWriter writer = new RollingDataWriter(table, 0);
        cleanup.add(writer::abort);
        ChangeSet changes = new ChangeSet(schema, m.key());
        long position = 0;
        long ignoredDeletes = 0;
        long appended = 0;
        String newest = null;
        Instant newestFile = null;
        // read the files on all cores; apply their rows in file order, one file after the other
        List<List<RawRow>> rowsByFile = readAll(batch, schema, m);

        for (int f = 0; f < batch.size(); f++) {
            RawSchema raw = batch.get(f);
            long rowNumber = 0;
            for (RawRow r : rowsByFile.get(f)) {
                rowNumber++;
                newest = newer(newest, r.commitTs());
                if (m.writeMode() == WriteMode.APPEND_ONLY) {
                    if (r.op() == 'D') {
                        ignoredDeletes++;
                    } else {
                        writer.write(r.row());
                        appended++;
                    }
                    continue;
                }
                if (!changes.add(r, position++)) {
                    throw nullKey(raw, rowNumber, m);
                }
            }
            rowsByFile.set(f, List.of());
            newestFile = Instant.ofEpochMilli(RawFiles.cdcTimeMillis(raw.file()));
        }
        RowDelta delta = table.newRowDelta();
        long inserted = 0;
        long updated = 0;
        long deleted = 0;
        switch (m.writeMode()) {
            case APPEND_ONLY -> inserted = appended;
            case EQUALITY_DELETES -> {
                DeleteWriters deletes = new DeleteWriters(table);
                cleanup.add(deletes::abort);
                List<GenericRecord> keyRows = new ArrayList<>();
                for (var e : changes.entries()) {
                    Change c = e.getValue();
                    keyRows.add(c.row());
                    switch (c.op()) {
                        case 'D' -> deleted++;
                        case 'U' -> updated++;
                        default -> inserted++;
                    }
                }
                deletes.keys(keyRows, m.key()).forEach(delta::addDeletes);
                writeSorted(table, changes.upserts(), writer);
            }
            case POSITION_DELETES, COPY_ON_WRITE -> {
                ScanTaskReader reader = new ScanTaskReader(table);
                var located = RowLocator.locate(table, start, m.key(), changes.keys(), reader);

                for (var e : changes.entries()) {
                    boolean existed = located.containsKey(e.getKey());
                    if (e.getValue().isDelete()) {
                        deleted += existed ? 1 : 0;
                    } else if (existed) {
                        updated++;
                    } else {
                        inserted++;
                    }
                }
                if (m.writeMode() == WriteMode.POSITION_DELETES) {
                    Map<DataFile, List<Long>> byFile = new HashMap<>();
                    Set<String> referenced = new HashSet<>();
                    for (var positions : located.values()) {
                        for (var p : positions) {
                            byFile.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(p.pos());
                            referenced.add(p.file().location());
                        }
                    }
                    DeleteWriters deletes = new DeleteWriters(table);
                    cleanup.add(deletes::abort);
                    deletes.positions(byFile).forEach(delta::addDeletes);

                    delta.validateDataFilesExist(referenced);
                    writeSorted(table, changes.upserts(), writer);
                } else {
                    rewriteFiles(table, start, located, changes, keys, reader, writer, delta);
                }
            }
        }
        writer.files().forEach(delta::addRows);
        String last = batch.get(batch.size() - 1).file().watermarkKey();
        // without a timestamp column, a CDC file's name time bounds its commit times from above
        ConvertState next = state.withCdcWatermark(last).withNewestCommit(newest != null ? instant(newest) : newestFile);
        commit(table, delta, start, next, batch.size(), inserted, updated, deleted);
        cleanup.clear();
        tally.files += batch.size();
        tally.inserted += inserted;
        tally.updated += updated;
        tally.deleted += deleted;
        tally.ignoredDeletes += ignoredDeletes;
        tally.commits++;
        tally.newest = next.newestCommit();
        afterCommit.run();
        return next;
    }

    /** Copy-on-write: the data files holding changed keys are rewritten without those rows. */
    private void rewriteFiles(Table table, Snapshot start, Map<List<Object>, List<RowLocator.Position>> located,
                              ChangeSet changes, int[] keys, ScanTaskReader reader, RollingDataWriter writer, RowDelta delta) {
        Set<String> affected = new HashSet<>();
        located.values().forEach(list -> list.forEach(p -> affected.add(p.file().location())));
        if (!affected.isEmpty()) {
            try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
                Set<String> removed = new HashSet<>();
                for (FileScanTask task : tasks) {
                    if (!affected.contains(task.file().location())) {
                        continue;
                    }
                    try (CloseableIterable<Record> rows = reader.open(task)) {
                        for (Record r : rows) {
                            Object[] k = new Object[keys.length];
                            for (int i = 0; i < keys.length; i++) {
                                k[i] = r.get(keys[i]);
                            }
                            if (!changes.keys().contains(Arrays.asList(k))) {
                                writer.write(copy(table.schema(), r));
                            }
                        }
                    }
                    if (removed.add(task.file().location())) {
                        delta.removeRows(task.file());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        writeSorted(table, changes.upserts(), writer);
    }

    private static GenericRecord copy(Schema schema, Record r) {
        GenericRecord c = GenericRecord.create(schema);
        for (int i = 0; i < schema.columns().size(); i++) {
            c.set(i, r.get(i));
        }
        return c;
    }

    /** Writes rows in the table's sort order (when it has one), so files are clustered for readers. */
    private static void writeSorted(Table table, List<GenericRecord> rows, RollingDataWriter writer) {
        SortOrder order = table.sortOrder();
        if (order.isSorted()) {
            rows.sort(comparator(table.schema(), order));
        }
        rows.forEach(writer::write);
    }

    /**
     * Compares rows by a sort order. Identity sorts on top-level columns (the usual case: the key)
     * compare the Java values directly; anything else goes through Iceberg's comparator.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Comparator<GenericRecord> comparator(Schema schema, SortOrder order) {
        Comparator<GenericRecord> cmp = null;
        for (org.apache.iceberg.SortField f : order.fields()) {
            int pos = schema.columns().indexOf(schema.findField(f.sourceId()));
            if (!f.transform().isIdentity() || pos < 0 || !schema.findField(f.sourceId()).type().isPrimitiveType()) {
                Comparator<StructLike> iceberg = SortOrderComparators.forSchema(schema, order);
                Types.StructType struct = schema.asStruct();
                return (a, b) -> iceberg.compare(new InternalRecordWrapper(struct).wrap(a), new InternalRecordWrapper(struct).wrap(b));
            }
            Comparator<Comparable> natural = f.direction() == org.apache.iceberg.SortDirection.ASC
                    ? Comparator.naturalOrder() : Comparator.reverseOrder();
            Comparator<Comparable> values = f.nullOrder() == org.apache.iceberg.NullOrder.NULLS_FIRST
                    ? Comparator.nullsFirst(natural) : Comparator.nullsLast(natural);
            Comparator<GenericRecord> field = Comparator.comparing(r -> (Comparable) r.get(pos), values);
            cmp = cmp == null ? field : cmp.thenComparing(field);
        }
        return cmp == null ? (a, b) -> 0 : cmp;
    }

    private void commit(Table table, RowDelta delta, Snapshot start, ConvertState state, int files, long inserted,
                        long updated, long deleted) {
        if (start != null) {
            delta.validateFromSnapshot(start.snapshotId());
        }
        // Two converts of one table: the second commit sees the first's files and fails validation,
        // instead of Iceberg's retry re-applying the same raw files on top.
        delta.validateNoConflictingDataFiles().validateNoConflictingDeleteFiles();
        state.writeTo(delta);
        delta.set(COUNT_PREFIX + "files", Integer.toString(files));
        delta.set(COUNT_PREFIX + "inserted", Long.toString(inserted));
        delta.set(COUNT_PREFIX + "updated", Long.toString(updated));
        delta.set(COUNT_PREFIX + "deleted", Long.toString(deleted));
        delta.commit();
        table.refresh();
    }

    // ---------------------------------------------------------------- schema

    /**
     * Creates the table from the raw files' columns (checked for compatible types first, so a bad
     * file leaves no table behind): key columns required and identifier fields.
     */
    private Table create(TableMapping m, List<RawSchema> raws) {
        // an empty CSV file (DMS writes them) has no header to take the columns from
        RawSchema raw = raws.stream().filter(r -> !dataColumns(r, m).isEmpty()).findFirst().orElse(raws.get(0));
        RawFile first = raw.file();
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (Types.NestedField col : dataColumns(raw, m)) {
            boolean key = m.key().contains(col.name());
            fields.add(key ? Types.NestedField.required(id++, col.name(), col.type())
                    : Types.NestedField.optional(id++, col.name(), col.type()));
        }
        Set<Integer> identifiers = new HashSet<>();
        for (String k : m.key()) {
            Types.NestedField f = fields.stream().filter(x -> x.name().equals(k)).findFirst()
                    .orElseThrow(() -> LakehouseException.failed("Cannot convert " + m.source() + ": key column '" + k
                            + "' is not in " + first.location() + " (columns: " + String.join(", ",
                            dataColumns(raw, m).stream().map(Types.NestedField::name).toList()) + ")"));
            identifiers.add(f.fieldId());
        }
        Schema schema = evolved(new Schema(fields, identifiers), m, raws);
        PartitionSpec spec = PartitionSpecs.parse(schema, m.partitionBy(), "tables.yaml: " + m.source() + ": partition_by");
        SortOrder.Builder sort = SortOrder.builderFor(schema);
        for (String s : m.sortBy()) {
            String[] parts = s.trim().split("\\s+");
            if (schema.findField(parts[0]) == null) {
                throw LakehouseException.usage("tables.yaml: " + m.source() + ": sort_by: no column '" + parts[0] + "'");
            }
            if (parts.length > 1 && parts[1].equalsIgnoreCase("desc")) {
                sort.desc(parts[0]);
            } else {
                sort.asc(parts[0]);
            }
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put(TableProperties.FORMAT_VERSION, "2");
        String rowLevel = m.writeMode() == WriteMode.COPY_ON_WRITE ? "copy-on-write" : "merge-on-read";
        props.put(TableProperties.DELETE_MODE, rowLevel);
        props.put(TableProperties.UPDATE_MODE, rowLevel);
        props.put(TableProperties.MERGE_MODE, rowLevel);
        TableIdentifier target = warehouse.identifier(m.target());
        warehouse.ensureNamespace(target.namespace());
        return warehouse.catalog().buildTable(target, schema).withPartitionSpec(spec).withSortOrder(sort.build())
                .withProperties(props).create();
    }

    /** The columns the table has or will have, from the raw files (bookkeeping and dropped columns left out). */
    public static List<String> tableColumns(List<RawSchema> raws, TableMapping m) {
        List<String> names = new ArrayList<>();
        for (RawSchema raw : raws) {
            for (Types.NestedField c : dataColumns(raw, m)) {
                if (!names.contains(c.name())) {
                    names.add(c.name());
                }
            }
        }
        return names;
    }

    private static boolean anyColumns(List<RawSchema> raws, TableMapping m) {
        return raws.stream().anyMatch(r -> !dataColumns(r, m).isEmpty());
    }

    private static List<Types.NestedField> dataColumns(RawSchema raw, TableMapping m) {
        List<Types.NestedField> columns = new ArrayList<>();
        for (Types.NestedField col : raw.schema().columns()) {
            if (!m.bookkeepingColumns().contains(col.name()) && !m.dropColumns().contains(col.name())) {
                columns.add(col);
            }
        }
        return columns;
    }

    /** Adds columns the raw files have and the table lacks, widens types; commits only if something changed. */
    private void evolve(Table table, TableMapping m, List<RawSchema> raws) {
        Schema target = evolved(table.schema(), m, raws);
        if (target.sameSchema(table.schema())) {
            return;
        }
        UpdateSchema update = table.updateSchema();
        for (Types.NestedField col : target.columns()) {
            Types.NestedField existing = table.schema().findField(col.name());
            if (existing == null) {
                update.addColumn(col.name(), col.type());
            } else if (!existing.type().equals(col.type())) {
                update.updateColumn(col.name(), col.type().asPrimitiveType());
            }
        }
        update.commit();
        table.refresh();
    }

    /**
     * The schema that can hold every raw file: columns some file has and the schema lacks are added
     * (NULL for earlier rows), types are widened safely; anything else stops the table, naming the
     * file, before anything is committed.
     */
    private static Schema evolved(Schema schema, TableMapping m, List<RawSchema> raws) {
        Map<String, Type> types = new LinkedHashMap<>();
        schema.columns().forEach(c -> types.put(c.name(), c.type()));
        for (RawSchema raw : raws) {
            for (Types.NestedField col : dataColumns(raw, m)) {
                Type known = types.get(col.name());
                Type type = col.type();
                if (known == null) {
                    types.put(col.name(), type);
                } else if (!known.equals(type)) {
                    Type merged = wider(known, type);
                    if (merged == null) {
                        throw drift(m, raw, col.name(), known, type);
                    }
                    types.put(col.name(), merged);
                }
            }
        }
        List<Types.NestedField> fields = new ArrayList<>();
        int next = schema.highestFieldId() + 1;
        for (var e : types.entrySet()) {
            Types.NestedField existing = schema.findField(e.getKey());
            fields.add(existing != null
                    ? Types.NestedField.of(existing.fieldId(), existing.isOptional(), existing.name(), e.getValue())
                    : Types.NestedField.optional(next++, e.getKey(), e.getValue()));
        }
        return new Schema(fields, schema.identifierFieldIds());
    }

    private static Type wider(Type a, Type b) {
        if (a.equals(b)) {
            return a;
        }
        if (a.isPrimitiveType() && b.isPrimitiveType()) {
            if (TypeUtil.isPromotionAllowed(a, b.asPrimitiveType())) {
                return b;
            }
            if (TypeUtil.isPromotionAllowed(b, a.asPrimitiveType())) {
                return a;
            }
        }
        return null;
    }

    private static LakehouseException drift(TableMapping m, RawSchema raw, String column, Type was, Type now) {
        return LakehouseException.failed("Cannot convert " + m.source() + ": column '" + column + "' is " + was
                + " in the table but " + now + " in " + raw.file().location() + " (only int to long, float to double and"
                + " wider decimals are applied); the table was left as it was");
    }

    private static void checkMode(TableMapping m, Table table) {
        if (m.writeMode() == WriteMode.EQUALITY_DELETES && !DeleteWriters.partitionColumnsAreKeys(table, m.key())) {
            throw LakehouseException.usage("tables.yaml: " + m.source() + ": write_mode merge-on-read-equality needs every"
                    + " partition column to be a key column (the delete must land in the old row's partition);"
                    + " use merge-on-read (position deletes) for this table");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void requireKey(GenericRecord row, int[] keys, RawSchema raw, long rowNumber, TableMapping m) {
        for (int k : keys) {
            if (row.get(k) == null) {
                throw nullKey(raw, rowNumber, m);
            }
        }
    }

    private static LakehouseException nullKey(RawSchema raw, long rowNumber, TableMapping m) {
        return LakehouseException.failed("Cannot apply " + raw.file().location() + ": row " + rowNumber
                + " has no value for the key (" + String.join(", ", m.key()) + ")");
    }

    /**
     * The later of two DMS timestamp column values. Their fixed-width form (yyyy-MM-dd HH:mm:ss.SSSSSS)
     * sorts as text, so only the newest one is parsed, once per batch ({@link #instant}).
     */
    private static String newer(String newest, String commitTs) {
        if (commitTs == null || commitTs.isEmpty()) {
            return newest;
        }
        return newest == null || commitTs.compareTo(newest) > 0 ? commitTs : newest;
    }

    private static Instant instant(String commitTs) {
        if (commitTs == null) {
            return null;
        }
        try {
            return RawReader.timestamp(commitTs).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException unparsable) {
            return null;
        }
    }
}
