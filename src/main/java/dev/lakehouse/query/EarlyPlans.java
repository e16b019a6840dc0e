package dev.lakehouse.query;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.query.SqlTokens.Kind;
import dev.lakehouse.query.SqlTokens.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.Projections;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Iceberg's planning of the tables a query probably reads, done while DuckDB starts on another
 * thread (~7 ms warm, more in a new JVM). DuckDB's parser is what finds a query's tables and
 * conditions, so until DuckDB is up the tables are guessed from the text (the names after FROM and
 * JOIN) and planned whole; once the query is parsed, its conditions prune that plan file by file
 * with the evaluators Iceberg's own filtered planning uses ({@link #prune}). A guess that is wrong
 * costs only time DuckDB's start hid. A partitioned table's plan still running when DuckDB is ready
 * is dropped, and so is one past {@link #MAX_FILES}: the table is then planned with the query's
 * conditions, which can skip whole manifests.
 */
final class EarlyPlans {
    static final EarlyPlans NONE = new EarlyPlans();
    /** Past this many data files a whole plan, stats and all, holds too much memory for what it saves. */
    static final int MAX_FILES = 10_000;

    /** Tables found from the guesses, by the identifier the query's name maps to. */
    private final Map<TableIdentifier, Table> loaded = new HashMap<>();
    /** Whole plans by table and snapshot id, data files with their column stats (the pruning needs them). */
    private final Map<String, List<FileScanTask>> planned = new HashMap<>();

    private EarlyPlans() {
    }

    /** A table name the query's text seems to read, and at which snapshot. */
    record Guess(String name, LocalQueryEngine.TimeTravel travel) {
    }

    /**
     * Loads and plans each guessed table of the warehouse until {@code ready} is done. Anything that
     * fails here is left to the planning after the parse, which reports it.
     */
    static EarlyPlans until(Future<?> ready, Warehouse warehouse, TimeTravelClauses.Rewritten query,
                            LocalQueryEngine.TimeTravel travel) {
        EarlyPlans early = new EarlyPlans();
        List<Guess> guesses;
        try {
            guesses = guesses(query, travel);
        } catch (RuntimeException unreadable) { // an unterminated quote: DuckDB's parser says where, in one line
            return early;
        }
        for (Guess guess : guesses) {
            if (ready.isDone()) {
                break;
            }
            try {
                TableIdentifier id = warehouse.identifier(guess.name());
                Table table = early.loaded.containsKey(id) ? early.loaded.get(id) : warehouse.loadIfExists(id);
                if (table == null) {
                    continue;
                }
                early.loaded.put(id, table);
                Snapshot snapshot = LocalQueryEngine.snapshot(table, guess.travel());
                if (snapshot == null || early.planned.containsKey(key(id, snapshot))) {
                    continue;
                }
                List<FileScanTask> tasks = planWhole(table, snapshot, ready);
                if (tasks != null) {
                    early.planned.put(key(id, snapshot), tasks);
                }
            } catch (RuntimeException leftForLater) {
                // an unknown snapshot, a bad name: the planning after the parse says so in one line
            }
        }
        return early;
    }

    Map<TableIdentifier, Table> loaded() {
        return loaded;
    }

    /** The whole plan of the table at that snapshot, or null if none was made. */
    List<FileScanTask> planned(TableIdentifier id, Snapshot snapshot) {
        return snapshot == null ? null : planned.get(key(id, snapshot));
    }

    private static String key(TableIdentifier id, Snapshot snapshot) {
        return id + "@" + snapshot.snapshotId();
    }

    private static List<FileScanTask> planWhole(Table table, Snapshot snapshot, Future<?> ready) {
        // An unpartitioned table's filtered planning reads every manifest too: finishing the whole plan
        // beats starting over. A partitioned one's can skip manifests by their partition ranges.
        boolean partitioned = table.specs().values().stream().anyMatch(spec -> !spec.isUnpartitioned());
        List<FileScanTask> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = table.newScan().useSnapshot(snapshot.snapshotId())
                .includeColumnStats().ignoreResiduals().planFiles()) {
            for (FileScanTask task : planned) { // manifests are read as this iterates
                if ((partitioned && ready.isDone()) || tasks.size() == MAX_FILES) {
                    return null;
                }
                tasks.add(task);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tasks;
    }

    /**
     * The names after FROM and JOIN, qualified or not, with the snapshot each is read at: a
     * time-travel view name ({@link TimeTravelClauses}) stands for its table at its snapshot.
     * Functions ({@code FROM read_parquet(...)}) and subqueries are skipped; a CTE's name or an
     * EXTRACT(... FROM col) column is a guess the warehouse does not have, or a plan left unused.
     */
    static List<Guess> guesses(TimeTravelClauses.Rewritten query, LocalQueryEngine.TimeTravel travel) {
        List<Token> tokens = SqlTokens.of(query.sql());
        Set<Guess> guesses = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isWord("FROM") && !tokens.get(i).isWord("JOIN")) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            int j = i + 1;
            while (j < tokens.size() && isName(tokens.get(j))) {
                parts.add(tokens.get(j).name());
                if (j + 2 < tokens.size() && tokens.get(j + 1).isSymbol('.')) {
                    j += 2;
                } else {
                    j++;
                    break;
                }
            }
            boolean function = j < tokens.size() && tokens.get(j).isSymbol('(');
            if (parts.isEmpty() || parts.size() > 2 || function) {
                continue;
            }
            String last = parts.get(parts.size() - 1);
            TimeTravelClauses.Clause clause = query.clause(last);
            String schema = parts.size() == 2 ? parts.get(0) + "." : "";
            guesses.add(clause == null ? new Guess(schema + last, travel) : new Guess(schema + clause.table(), clause.travel()));
        }
        return List.copyOf(guesses);
    }

    private static boolean isName(Token t) {
        return t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_NAME;
    }

    /**
     * The files of a whole plan that the filter can match, with their delete files, as Iceberg's
     * filtered planning (with residuals ignored) picks them: a data file whose partition or column
     * bounds exclude the filter is dropped. Null when the
     * filter does not bind to a partition spec's schema: the caller then plans with Iceberg itself.
     */
    static List<IcebergViews.PlannedFile> prune(Table table, List<FileScanTask> whole, Expression filter) {
        List<IcebergViews.PlannedFile> kept = new ArrayList<>(whole.size());
        if (filter.op() == Expression.Operation.TRUE) {
            whole.forEach(task -> kept.add(new IcebergViews.PlannedFile(task.file(), task.deletes())));
            return kept;
        }
        Map<Integer, Evaluator> partitions = new HashMap<>();
        Map<Integer, InclusiveMetricsEvaluator> bounds = new HashMap<>();
        try {
            for (FileScanTask task : whole) {
                DataFile file = task.file();
                if (!inPartition(table, partitions, file, filter)) {
                    continue;
                }
                PartitionSpec spec = table.specs().get(file.specId());
                // the schema Iceberg's manifest reader binds the filter to: the spec's
                if (!bounds.computeIfAbsent(file.specId(), id -> new InclusiveMetricsEvaluator(spec.schema(), filter, true)).eval(file)) {
                    continue;
                }
                // its deletes as planned: Iceberg attached only those of its own partition and global ones, and
                // its filtered planning (residuals ignored) drops deletes by partition alone: never these
                kept.add(new IcebergViews.PlannedFile(file, task.deletes()));
            }
        } catch (org.apache.iceberg.exceptions.ValidationException unbound) {
            return null;
        }
        return kept;
    }

    private static boolean inPartition(Table table, Map<Integer, Evaluator> partitions, DataFile file, Expression filter) {
        Evaluator evaluator = partitions.computeIfAbsent(file.specId(), id -> {
            PartitionSpec spec = table.specs().get(id);
            return new Evaluator(spec.partitionType(), Projections.inclusive(spec, true).project(filter), true);
        });
        return evaluator.eval(file.partition());
    }
}
