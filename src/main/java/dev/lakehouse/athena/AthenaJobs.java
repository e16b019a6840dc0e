package dev.lakehouse.athena;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.ConvertState;
import dev.lakehouse.convert.Converter;
import dev.lakehouse.convert.RawFiles;
import dev.lakehouse.convert.RawSchema;
import dev.lakehouse.env.AwsClients;
import dev.lakehouse.env.TableMapping;
import dev.lakehouse.output.Console;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import software.amazon.awssdk.services.athena.model.QueryExecution;

/**
 * The heavy jobs run inside Athena instead of this process: each statement is started in the env's
 * workgroup, awaited, and must succeed before the next one. This is how the lakehouse scales out.
 */
public final class AthenaJobs {
    /** Files per MERGE, at most: fewer when their paths are long (see {@link #MAX_QUERY_BYTES}). */
    static final int FILES_PER_MERGE = 1000;
    /** Athena refuses a query text over 262,144 bytes; the file list is most of a MERGE's. */
    static final int MAX_QUERY_BYTES = 262_144;

    /** One statement that ran. */
    public record Ran(String statement, String queryId, String state, long scannedBytes, double costUsd) {
    }

    private final AthenaQueries athena;
    private final Console console;

    public AthenaJobs(AthenaQueries athena, Console console) {
        this.athena = athena;
        this.console = console;
    }

    /** Runs statements in order; the first one that does not succeed stops the rest (exit 1, Athena's reason). */
    public List<Ran> run(List<String> statements, Duration timeout) {
        List<Ran> ran = new ArrayList<>();
        for (String sql : statements) {
            ran.add(runOne(sql, timeout));
        }
        return ran;
    }

    private Ran runOne(String sql, Duration timeout) {
        String id = athena.start(sql, List.of());
        QueryExecution q;
        // a Ctrl-C stops the statement in Athena before the process exits: OPTIMIZE and MERGE would run on
        try (AthenaQueries.StopOnExit ignored = athena.stopOnExit(id, console::info)) {
            console.info("Athena query " + id + ": " + sql.lines().findFirst().orElse(sql));
            q = athena.await(id, timeout, x -> { });
        }
        AthenaQueries.requireSucceeded(q);
        long scanned = q.statistics() == null || q.statistics().dataScannedInBytes() == null ? 0 : q.statistics().dataScannedInBytes();
        return new Ran(sql, id, q.status().stateAsString(), scanned, athena.cost(q));
    }

    /**
     * The files in apply order, cut into MERGE batches: as many as fit, up to {@value #FILES_PER_MERGE}
     * and with the statement's text ({@code fixedBytes} without its file list) under Athena's limit.
     */
    static <T> List<List<T>> batches(List<T> files, java.util.function.Function<T, String> path, int fixedBytes) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < files.size(); ) {
            int end = i;
            long bytes = fixedBytes;
            while (end < files.size() && end - i < FILES_PER_MERGE) {
                int more = utf8Length(AthenaStatements.literal(path.apply(files.get(end)))) + 2; // 'path', a comma, a space
                if (end > i && bytes + more > MAX_QUERY_BYTES) {
                    break;
                }
                bytes += more;
                end++;
            }
            batches.add(files.subList(i, end));
            i = end;
        }
        return batches;
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** What convert --engine athena will run for one table, or did. */
    public record ConvertPlan(String table, List<String> statements, int files) {
    }

    /**
     * Converts one table with Athena: exposes its raw folder as a Glue table, then MERGEs exactly
     * the raw files not applied yet (in apply order, up to {@value #FILES_PER_MERGE} per statement),
     * recording after each MERGE which files the table now has, in the same record the in-process
     * convert keeps: the two engines can take turns on one table. A crash between a MERGE and its
     * record makes the next run apply those files again, which is harmless: a batch's last changes
     * applied twice give the same table.
     */
    public ConvertPlan convert(Converter converter, AwsClients aws, TableMapping m, String rawDatabase, String rawFolder,
                               boolean dryRun, Duration timeout, Consumer<List<RawFiles.RawFile>> onBatch) {
        if (m.changeSequenceColumn() == null) {
            throw LakehouseException.failed("Cannot convert " + m.source() + " with Athena: its raw files have no"
                    + " change-sequence column, and SQL cannot see a row's position in its file, so changes to one key"
                    + " in one file could be applied out of order; add the DMS add-column rule ($AR_H_CHANGE_SEQ) and set"
                    + " change_sequence_column in tables.yaml, or convert in-process (--engine local)");
        }
        if (m.writeMode() == TableMapping.WriteMode.APPEND_ONLY) {
            throw LakehouseException.failed("Cannot convert append-only table " + m.source() + " with Athena: use the in-process convert");
        }
        Converter.Pending pending = converter.pending(m, !dryRun);
        if (pending.reload()) {
            throw LakehouseException.failed("Cannot apply the reload of " + m.source() + " with Athena (the table's content is"
                    + " replaced): run the in-process convert (--engine local) once, then Athena can take over again");
        }
        List<Schema> schemas = new ArrayList<>();
        for (RawSchema s : pending.schemas()) {
            if (s.file().format() != RawFiles.Format.PARQUET) {
                throw LakehouseException.failed("Cannot convert " + m.source() + " with Athena: " + s.file().location()
                        + " is CSV; Athena's raw table reads Parquet (set the DMS target's DataFormat to parquet)");
            }
            schemas.add(s.schema());
        }
        boolean hasSequence = schemas.stream().anyMatch(s -> s.findField(m.changeSequenceColumn()) != null)
                || schemas.isEmpty();
        if (!hasSequence) {
            throw LakehouseException.failed("Cannot convert " + m.source() + " with Athena: no raw file has the column "
                    + m.changeSequenceColumn() + "; add the DMS add-column rule ($AR_H_CHANGE_SEQ) to the task's table mapping");
        }
        // and every pending change file must carry it: in one without it (written before the DMS rule
        // was added) several changes to a key have nothing to order them by. Full-load rows need none.
        for (RawSchema s : pending.schemas()) {
            if (s.file().kind() == RawFiles.Kind.CDC && s.schema().findField(m.changeSequenceColumn()) == null) {
                throw LakehouseException.failed("Cannot convert " + m.source() + " with Athena: " + s.file().location()
                        + " has no column " + m.changeSequenceColumn() + " (written before the DMS add-column rule"
                        + " ($AR_H_CHANGE_SEQ) was in the task's table mapping?); add the rule, and convert the files"
                        + " without it in-process (--engine local) once");
            }
        }
        String rawTable = RawGlueTables.name(m.sourceSchema(), m.sourceTable());
        String namespace = m.target().substring(0, m.target().lastIndexOf('.'));
        String tableName = m.target().substring(m.target().lastIndexOf('.') + 1);
        List<String> columns = pending.table() == null ? Converter.tableColumns(pending.schemas(), m)
                : pending.table().schema().columns().stream().map(Types.NestedField::name).toList();
        // the raw Glue table's columns: every pending file's (RawGlueTables.ensure), the only ones a MERGE can name
        java.util.Set<String> rawColumns = new java.util.HashSet<>();
        schemas.forEach(s -> s.columns().forEach(f -> rawColumns.add(f.name().toLowerCase(java.util.Locale.ROOT))));
        // INT64 TIMESTAMP(MICROS) columns: declared bigint and converted in the MERGE, or Athena rounds them to milliseconds
        java.util.Map<String, Boolean> micros = RawGlueTables.microsColumns(m.source(), pending.schemas());
        List<String> statements = new ArrayList<>();
        List<List<RawFiles.RawFile>> batches = new ArrayList<>();
        var rawSource = AthenaStatements.RawSource.athena(rawDatabase, rawTable);
        int fixedBytes = utf8Length(AthenaStatements.merge(namespace, tableName, rawSource, List.of(), m.key(), columns,
                m.changeSequenceColumn(), rawColumns, micros));
        for (List<RawFiles.RawFile> batch : batches(pending.files(), RawFiles.RawFile::location, fixedBytes)) {
            batches.add(batch);
            statements.add(AthenaStatements.merge(namespace, tableName, rawSource,
                    batch.stream().map(RawFiles.RawFile::location).toList(), m.key(), columns, m.changeSequenceColumn(), rawColumns,
                    micros));
        }
        if (dryRun || batches.isEmpty()) {
            return new ConvertPlan(m.target(), statements, pending.files().size());
        }
        RawGlueTables.ensure(aws.glue(), rawDatabase, rawTable, rawFolder, schemas, micros.keySet());
        ConvertState state = pending.state();
        List<RawFiles.RawFile> loads = new ArrayList<>(pending.appliedLoads());
        for (int b = 0; b < batches.size(); b++) {
            runOne(statements.get(b), timeout);
            List<RawFiles.RawFile> batch = batches.get(b);
            batch.stream().filter(f -> f.kind() == RawFiles.Kind.LOAD).forEach(loads::add);
            state = converter.record(pending, state, batch, loads);
            onBatch.accept(batch);
        }
        return new ConvertPlan(m.target(), statements, pending.files().size());
    }
}
