package dev.lakehouse.query;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.iceberg.Warehouse;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The embedded engine of the local env: DuckDB in this process over the env's Iceberg tables.
 * Only the tables a query names are planned (with its pushable conditions); each becomes a view
 * over the files Iceberg planned, with Iceberg's deletes applied ({@link IcebergViews}).
 */
public final class LocalQueryEngine implements AutoCloseable {
    /** Which snapshot to read: the current one, or by id, tag, or time. */
    public record TimeTravel(Long snapshotId, String tag, Instant asOf) {
        public static TimeTravel current() {
            return new TimeTravel(null, null, null);
        }
    }

    private final Warehouse warehouse;
    /** DuckDB starting on its own thread, while Iceberg loads and plans the tables ({@link EarlyPlans}). */
    private final CompletableFuture<Connection> starting;
    private Connection duck;
    private IcebergViews views;
    /** The query {@link #prepare} analysed last (its result columns get Athena's names in {@link #run}). */
    private String preparedSql;
    /** What DuckDB runs for it: the same text, but with time-travel clauses made view names. */
    private String preparedRewrite;
    private SqlAnalysis prepared;
    /** DuckDB schemas made so far (one per namespace a query names, and the env's default). */
    private final java.util.Set<String> schemas = new java.util.HashSet<>();

    public LocalQueryEngine(Warehouse warehouse) {
        if (!warehouse.environment().isLocal()) {
            throw LakehouseException.usage("The local engine reads files on this machine; env "
                    + warehouse.environment().name() + " keeps its tables in S3: use --engine athena");
        }
        this.warehouse = warehouse;
        this.starting = new CompletableFuture<>();
        Thread start = new Thread(() -> {
            try {
                starting.complete(DuckTypes.connectStreaming()); // rows reach stdout as DuckDB makes them
            } catch (Throwable e) { // also the native library's UnsatisfiedLinkError: the query's thread reports it
                starting.completeExceptionally(e);
            }
        }, "duckdb-start");
        start.setDaemon(true);
        start.start();
    }

    /** The DuckDB connection, once started. */
    private Connection duck() {
        if (duck == null) {
            try {
                duck = starting.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof LakehouseException failed) {
                    throw failed;
                }
                throw LakehouseException.failed("Cannot start the embedded DuckDB engine: " + e.getCause(), e.getCause());
            }
            views = new IcebergViews(duck);
        }
        return duck;
    }

    /**
     * The query with Athena's execution parameters filled in: each {@code ?} replaced by its value's
     * SQL text, in order ({@link QueryParameters}).
     */
    public String bind(String sql, List<String> values) {
        int parameters = SqlAnalysis.of(duck(), TimeTravelClauses.rewrite(sql).sql()).parameters(); // DuckDB cannot parse FOR VERSION AS OF
        int placeholders = QueryParameters.count(sql);
        if (parameters > placeholders) {
            throw LakehouseException.usage("The query has DuckDB parameters ($1, $name): the query command takes ? placeholders,"
                    + " filled by --param as Athena does");
        }
        if (parameters < placeholders) {
            throw LakehouseException.usage("Cannot tell the query's ? placeholders apart: DuckDB's parser finds " + parameters
                    + ", its text holds " + placeholders);
        }
        return QueryParameters.bind(sql, values);
    }

    /** A view to make: the table, the name DuckDB reads it by, and which snapshot. */
    private record Target(TableIdentifier id, String view, TimeTravel travel) {
    }

    /**
     * Plans every Iceberg table the query names and makes it a view; returns what was planned.
     * {@code travel} picks the snapshot of every table, except where the query says otherwise itself
     * ({@code orders FOR VERSION AS OF 123}: {@link TimeTravelClauses}).
     */
    public List<IcebergViews.Plan> prepare(String sql, TimeTravel travel) {
        TimeTravelClauses.Rewritten rewritten = TimeTravelClauses.rewrite(sql);
        EarlyPlans early = starting.isDone() ? EarlyPlans.NONE : EarlyPlans.until(starting, warehouse, rewritten, travel);
        SqlAnalysis analysis = SqlAnalysis.of(duck(), rewritten.sql());
        if (analysis.parameters() > QueryParameters.count(sql)) {
            throw LakehouseException.usage("The query has DuckDB parameters ($1, $name): the query command takes ? placeholders,"
                    + " filled by --param as Athena does");
        }
        if (analysis.parameters() > 0) {
            int n = analysis.parameters();
            throw LakehouseException.usage("The query has " + n + " parameter" + (n == 1 ? "" : "s")
                    + " (?): give a value for each with --param, in order");
        }
        preparedSql = sql;
        preparedRewrite = rewritten.sql();
        prepared = analysis;
        // one view per table and snapshot, however the query spells its name; pruning only when it is read once
        Map<String, List<SqlAnalysis.TableRef>> byView = new LinkedHashMap<>();
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<TableIdentifier, Table> loaded = new java.util.HashMap<>(early.loaded());
        java.util.Set<String> named = new java.util.HashSet<>();
        for (SqlAnalysis.TableRef ref : analysis.tables()) {
            if (SqlAnalysis.isSystem(ref.schema(), ref.name())) {
                continue;
            }
            TimeTravelClauses.Clause clause = rewritten.clause(ref.name());
            String table = clause == null ? ref.name() : clause.table();
            TableIdentifier id = resolve(warehouse.identifier(ref.schema().isEmpty() ? table : ref.schema() + "." + table), loaded);
            String view = clause == null ? id.name() : ref.name();
            String key = (id.namespace() + "." + view).toLowerCase(Locale.ROOT);
            targets.putIfAbsent(key, new Target(id, view, clause == null ? travel : clause.travel()));
            byView.computeIfAbsent(key, k -> new ArrayList<>()).add(ref);
            if (clause == null) { // a table read only at another snapshot is still listed under its own name
                named.add(id.toString().toLowerCase(Locale.ROOT));
            }
        }
        List<TableIdentifier> listedOnly = analysis.listsCatalog() ? listedOnly(named) : List.of();
        List<TableIdentifier> all = new ArrayList<>(targets.values().stream().map(Target::id).toList());
        all.addAll(listedOnly);
        createSchemas(all);
        for (TableIdentifier id : listedOnly) {
            views.registerListed(warehouse.load(id), id.namespace().toString(), id.name());
        }
        List<IcebergViews.Plan> plans = new ArrayList<>();
        for (var entry : byView.entrySet()) {
            List<SqlAnalysis.TableRef> refs = entry.getValue();
            Target target = targets.get(entry.getKey());
            Table table = loaded.get(target.id());
            if (table == null) {
                table = warehouse.load(target.id()); // an unknown table fails with one line naming the ones that exist
            }
            Snapshot snapshot = snapshot(table, target.travel());
            int reads = refs.stream().mapToInt(analysis::occurrences).sum();
            Expression filter = reads == 1 ? analysis.filter(refs.get(0)) : Expressions.alwaysTrue();
            boolean current = target.travel().equals(TimeTravel.current());
            plans.add(views.register(table, snapshot, current, filter, target.id().namespace().toString(), target.view(),
                    early.planned(target.id(), snapshot)));
        }
        return plans;
    }

    /**
     * For a query that lists tables (SHOW TABLES, information_schema), which sees every table: the
     * catalog's tables it does not name. They get their columns and no plan, and fail with a clear
     * line if read anyway (query_table('t')).
     */
    private List<TableIdentifier> listedOnly(java.util.Set<String> named) {
        return warehouse.list(null).stream().filter(id -> !named.contains(id.toString().toLowerCase(Locale.ROOT))).toList();
    }

    /**
     * The catalog's table a SQL name means. SQL names are case-insensitive (FROM ORDERS reads orders,
     * as in DuckDB and Athena), Iceberg's catalog is not: an exact match wins, else the one table whose
     * name differs only in case. Tables loaded on the way are kept in {@code loaded}.
     */
    private TableIdentifier resolve(TableIdentifier id, Map<TableIdentifier, Table> loaded) {
        if (loaded.containsKey(id)) {
            return id;
        }
        Table exact = warehouse.loadIfExists(id);
        if (exact != null) {
            loaded.put(id, exact);
            return id;
        }
        List<TableIdentifier> sameButCase = warehouse.list(null).stream()
                .filter(other -> other.toString().equalsIgnoreCase(id.toString())).toList();
        return sameButCase.size() == 1 ? sameButCase.get(0) : id;
    }

    /**
     * The DuckDB schema of each namespace the views go into, and the env's default namespace first on
     * the search path (unqualified names resolve there): one batch of statements, each schema once.
     */
    private void createSchemas(java.util.Collection<TableIdentifier> ids) {
        StringBuilder sql = new StringBuilder();
        String defaultNamespace = warehouse.environment().namespace();
        List<String> wanted = new ArrayList<>();
        if (defaultNamespace != null) {
            wanted.add(defaultNamespace);
        }
        ids.forEach(id -> wanted.add(id.namespace().toString()));
        for (String schema : wanted) {
            if (schemas.add(schema)) {
                sql.append("CREATE SCHEMA IF NOT EXISTS ").append(DuckTypes.quote(schema)).append(";\n");
                if (schema.equals(defaultNamespace)) {
                    sql.append("SET search_path = ").append(DuckTypes.literal(defaultNamespace + ",main")).append(";\n");
                }
            }
        }
        if (sql.isEmpty()) {
            return;
        }
        try (Statement s = duck().createStatement()) {
            s.execute(sql.toString());
        } catch (SQLException e) {
            throw LakehouseException.failed("Cannot prepare the embedded DuckDB engine: " + LakehouseException.firstLine(e), e);
        }
    }

    static Snapshot snapshot(Table table, TimeTravel t) {
        String name = dev.lakehouse.iceberg.TableInspector.name(table);
        if (t.snapshotId() != null) {
            Snapshot s = table.snapshot(t.snapshotId());
            if (s == null) {
                throw LakehouseException.failed("Table " + name + " has no snapshot " + t.snapshotId());
            }
            return s;
        }
        if (t.tag() != null) {
            SnapshotRef ref = table.refs().get(t.tag());
            if (ref == null) {
                throw LakehouseException.failed("Table " + name + " has no tag or branch '" + t.tag() + "' (refs: "
                        + String.join(", ", table.refs().keySet()) + ")");
            }
            return table.snapshot(ref.snapshotId());
        }
        if (t.asOf() != null) {
            try {
                return table.snapshot(SnapshotUtil.snapshotIdAsOfTime(table, t.asOf().toEpochMilli()));
            } catch (IllegalArgumentException e) {
                throw LakehouseException.failed("Table " + name + " has no snapshot as of " + t.asOf()
                        + " (its first is newer)");
            }
        }
        return table.currentSnapshot();
    }

    /** Runs the query (after {@link #prepare}); rows stream from DuckDB as they are produced. */
    public ResultRows run(String sql, Duration timeout) {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "query-timeout");
            t.setDaemon(true);
            return t;
        });
        try {
            Statement statement = duck().createStatement();
            if (timeout != null) {
                timer.schedule(() -> {
                    timedOut.set(true);
                    try {
                        statement.cancel();
                    } catch (SQLException ignored) {
                        // the query ended meanwhile
                    }
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            ResultSet rs;
            try {
                rs = statement.executeQuery(sql.equals(preparedSql) ? preparedRewrite : sql);
            } catch (SQLException e) {
                throw failure(e, timedOut, timeout);
            }
            return new Rows(statement, rs, timer, timedOut, timeout, sql.equals(preparedSql) ? prepared : null);
        } catch (SQLException e) {
            timer.shutdownNow();
            throw failure(e, timedOut, timeout);
        } catch (RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
    }

    private static LakehouseException failure(SQLException e, AtomicBoolean timedOut, Duration timeout) {
        if (timedOut.get()) {
            return LakehouseException.timedOut("The query ran longer than --timeout " + dev.lakehouse.output.Durations.format(timeout)
                    + " and was stopped");
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return LakehouseException.failed("The query failed: " + m.lines().filter(l -> !l.isBlank()).findFirst().orElse(m), e);
    }

    private static final class Rows implements ResultRows {
        private final Statement statement;
        private final ResultSet rs;
        private final ScheduledExecutorService timer;
        private final AtomicBoolean timedOut;
        private final Duration timeout;
        private final List<String> columns = new ArrayList<>();
        private final List<String> types = new ArrayList<>();
        private Boolean ready;

        Rows(Statement statement, ResultSet rs, ScheduledExecutorService timer, AtomicBoolean timedOut, Duration timeout,
             SqlAnalysis analysis) throws SQLException {
            this.statement = statement;
            this.rs = rs;
            this.timer = timer;
            this.timedOut = timedOut;
            this.timeout = timeout;
            ResultSetMetaData md = rs.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
                types.add(md.getColumnTypeName(i).toUpperCase(java.util.Locale.ROOT));
            }
            columns.addAll(analysis == null ? labels : analysis.columnNames(labels));
        }

        @Override
        public List<String> columns() {
            return columns;
        }

        @Override
        public boolean hasNext() {
            if (ready == null) {
                // a streamed result is fetched here, chunk by chunk, and DuckDB's cancel only stops
                // the chunk being made: the fetch loop has to see the timeout itself
                if (timedOut.get()) {
                    throw failure(new SQLException("cancelled"), timedOut, timeout);
                }
                try {
                    ready = rs.next();
                } catch (SQLException e) {
                    throw failure(e, timedOut, timeout);
                }
            }
            return ready;
        }

        @Override
        public Object[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = null;
            Object[] row = new Object[columns.size()];
            try {
                for (int i = 0; i < row.length; i++) {
                    row[i] = value(rs, i + 1, types.get(i));
                }
            } catch (SQLException e) {
                throw failure(e, timedOut, timeout);
            }
            return row;
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                rs.close();
                statement.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
    }

    /** A DuckDB value as the Java type the output renders best. */
    static Object value(ResultSet rs, int i, String type) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        if (type.endsWith("]")) { // a list or array of any type ("TIMESTAMP[]" too): its elements are nested values
            return nested(v);
        }
        if (type.startsWith("TIMESTAMP WITH TIME ZONE") || type.equals("TIMESTAMPTZ")) {
            return v instanceof OffsetDateTime o ? o.toInstant() : rs.getObject(i, OffsetDateTime.class).toInstant();
        }
        if (type.startsWith("TIMESTAMP")) {
            return v instanceof LocalDateTime ? v : rs.getObject(i, LocalDateTime.class);
        }
        if (type.equals("DATE")) {
            return v instanceof LocalDate ? v : rs.getObject(i, LocalDate.class);
        }
        if (type.equals("TIME")) {
            return v instanceof LocalTime ? v : rs.getObject(i, LocalTime.class);
        }
        return nested(v);
    }

    /**
     * A value as the output renders it, also inside arrays, structs and maps, where DuckDB's driver
     * hands over its own types (java.sql.Timestamp, OffsetDateTime in the JVM's zone, its array and
     * struct classes) rather than the ones the top level gets by column type.
     */
    private static Object nested(Object v) throws SQLException {
        if (v instanceof BigInteger b) {
            return new java.math.BigDecimal(b);
        }
        if (v instanceof Blob blob) {
            return HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Array array) {
            List<Object> list = new ArrayList<>();
            for (Object o : (Object[]) array.getArray()) {
                list.add(nested(o));
            }
            return list;
        }
        if (v instanceof org.duckdb.DuckDBStruct struct) {
            return nestedMap(struct.getMap());
        }
        if (v instanceof java.util.Map<?, ?> map) {
            return nestedMap(map);
        }
        return v;
    }

    private static java.util.Map<Object, Object> nestedMap(java.util.Map<?, ?> map) throws SQLException {
        java.util.Map<Object, Object> copy = new LinkedHashMap<>();
        for (var e : map.entrySet()) {
            copy.put(nested(e.getKey()), nested(e.getValue()));
        }
        return copy;
    }

    @Override
    public void close() {
        try {
            Connection started = starting.join(); // a start still running would leave its instance open
            started.close();
        } catch (RuntimeException | SQLException ignored) {
            // it never started (reported where it was needed), or closing
        }
    }
}
