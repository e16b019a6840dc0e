package dev.lakehouse.query;

import dev.lakehouse.athena.AthenaQueries;
import dev.lakehouse.athena.AthenaResults;
import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.DurationOption;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.cli.TimeOption;
import dev.lakehouse.env.Environment;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.output.ByteSize;
import dev.lakehouse.output.Columns;
import dev.lakehouse.output.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.athena.model.QueryExecution;

@Command(name = "query",
        header = "Run SQL on the lakehouse: the embedded engine on local, Amazon Athena on AWS envs.",
        description = {
            "The SQL comes from the argument, from -f FILE, or from stdin. Tables are NAMESPACE.TABLE or TABLE (the"
                + " env's default namespace). Results stream to stdout in the chosen format as they arrive.",
            "",
            "Local engine (default on local): DuckDB in this process. Only the Iceberg tables the query names are"
                + " planned, by Iceberg itself, for the current snapshot (or --snapshot, --tag, --as-of, or per table"
                + " Athena's FOR VERSION AS OF / FOR TIMESTAMP AS OF in the query); simple"
                + " conditions of the WHERE (=, <, >, IN, BETWEEN on a column) prune the files Iceberg plans, and"
                + " position and equality deletes are applied as Iceberg's rules say. --explain shows the plan.",
            "",
            "Athena (default on AWS envs): the query runs in the env's workgroup with its Glue database as the default;"
                + " the query id is printed on stderr at once; when it ends, data scanned, engine time and cost are"
                + " printed on stderr; a failed query exits 1 with Athena's reason; Ctrl-C stops it."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse query \"SELECT status, count(*) FROM orders GROUP BY status\"",
            "  lakehouse query -f report.sql -o csv > report.csv",
            "  lakehouse query \"SELECT * FROM orders WHERE order_id = 42\" \\",
            "    --tag before-backfill",
            "  lakehouse query \"SELECT count(*) FROM orders \\",
            "    FOR TIMESTAMP AS OF TIMESTAMP '2024-06-01 00:00:00 UTC'\"",
            "  lakehouse query \"SELECT * FROM orders WHERE ordered_at >= '2024-06-01'\" \\",
            "    --explain",
            "  lakehouse query --env prod \"SELECT count(*) FROM orders WHERE day = ?\" \\",
            "    --param \"'2024-06-01'\"",
            "  echo \"SELECT 1\" | lakehouse query --env dev --no-wait"})
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SQL", description = "The query (or use -f, or stdin).")
    String sql;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the query from FILE.")
    Path file;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "local or athena (default: local on the local env, athena on AWS envs).")
    String engine;

    @Option(names = "--max-rows", paramLabel = "N", description = "Print at most N rows (default: all; 0 prints the columns only).")
    Long maxRows;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop the query after this long, reading its rows included (exit 4), e.g. 5m.")
    String timeout;

    @ArgGroup(exclusive = true)
    Travel travel;

    static final class Travel {
        @Option(names = "--snapshot", paramLabel = "ID", description = "Read this snapshot of every table (local engine).")
        Long snapshot;

        @Option(names = "--tag", paramLabel = "NAME", description = "Read the snapshot this tag names (local engine).")
        String tag;

        @Option(names = "--as-of", paramLabel = "TIME", description = "Read the snapshot current at this time: 2024-06-01T12:00:00Z, an offset instead of Z,"
                + " or a date (its start in UTC) (local engine).")
        String asOf;
    }

    @Option(names = "--explain", description = "Show what each table's planning read and pruned; do not run the query (local engine).")
    boolean explain;

    @Option(names = "--param", paramLabel = "VALUE", description = "A value for a ? in the query, as SQL text: 'text', 42, DATE '2024-06-01'. Repeatable, one per ?, in order"
                    + " (Athena's execution parameters; the local engine puts the text in place of the ?).")
    List<String> params = new ArrayList<>();

    @Option(names = "--no-wait", description = "Print only the query id and return at once (Athena).")
    boolean noWait;

    @Option(names = "--results-from", paramLabel = "SOURCE", defaultValue = "auto",
            description = "Athena results: api (GetQueryResults pages), s3 (the result file), auto: first page by API, the rest"
                    + " from S3 (default: ${DEFAULT-VALUE}). DDL results and client-side encrypted (CSE_KMS) ones are read by API.")
    AthenaResults.Source resultsFrom;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        String query = sqlText(ctx);
        // options are checked before the env is resolved: on an AWS env that needs credentials, and a
        // usage error must not wait for them (exit 2: nothing was attempted)
        String chosen = engine == null ? (ctx.environmentWithoutState().isLocal() ? "local" : "athena")
                : engine.toLowerCase(Locale.ROOT);
        Duration limit = DurationOption.positiveIfGiven(timeout, "--timeout");
        if (maxRows != null && maxRows < 0) {
            throw LakehouseException.usage("--max-rows must not be negative");
        }
        switch (chosen) {
            case "local" -> {
                if (noWait) {
                    throw LakehouseException.usage("--no-wait is for --engine athena: the local engine answers in this process");
                }
            }
            case "athena" -> {
                if (travel != null || explain) {
                    throw LakehouseException.usage("--snapshot, --tag, --as-of and --explain are for the local engine;"
                            + " for time travel write FOR VERSION AS OF / FOR TIMESTAMP AS OF in the query (both engines read it)");
                }
            }
            default -> throw LakehouseException.usage("--engine: '" + engine + "' is not an engine (local, athena)");
        }
        Environment env = ctx.environment();
        if (chosen.equals("local")) {
            local(ctx, env, query, limit);
        } else {
            athena(ctx, env, query, limit);
        }
        return 0;
    }

    private void local(CliContext ctx, Environment env, String query, Duration limit) {
        try (Warehouse warehouse = Warehouse.open(env); LocalQueryEngine engine = new LocalQueryEngine(warehouse)) {
            String sql = params.isEmpty() ? query : engine.bind(query, params);
            List<IcebergViews.Plan> plans = engine.prepare(sql, timeTravel());
            if (explain) {
                ctx.output().table(plans, Columns.of(IcebergViews.Plan.class)
                        .add("table", IcebergViews.Plan::table)
                        .add("snapshot_id", IcebergViews.Plan::snapshotId)
                        .add("pushed_filter", IcebergViews.Plan::filter)
                        .add("data_files_planned", IcebergViews.Plan::dataFiles)
                        .add("data_files_in_snapshot", IcebergViews.Plan::totalDataFiles)
                        .add("data_files_pruned", p -> Math.max(0, p.totalDataFiles() - p.dataFiles()))
                        .add("bytes_to_read", p -> ByteSize.of(p.dataBytes()))
                        .add("position_delete_files", IcebergViews.Plan::positionDeleteFiles)
                        .add("equality_delete_files", IcebergViews.Plan::equalityDeleteFiles)
                        .add("deletion_vectors", IcebergViews.Plan::deletionVectors));
                return;
            }
            try (ResultRows rows = engine.run(sql, limit)) {
                print(ctx, rows);
            }
        }
    }

    private void athena(CliContext ctx, Environment env, String query, Duration limit) {
        AthenaQueries athena = queries(ctx, env);
        if (!isReadOnly(query)) {
            ctx.guard("run an Athena statement that may change data");
        }
        AthenaResults.Deadline deadline = limit == null ? null : new AthenaResults.Deadline(Instant.now().plus(limit), limit);
        String id = athena.start(query, params);
        if (noWait) {
            ctx.out().println(id);
            ctx.out().flush();
            return;
        }
        QueryExecution done;
        // from here a Ctrl-C stops the query in Athena before the process exits, so it does not run (and bill) on
        try (AthenaQueries.StopOnExit ignored = athena.stopOnExit(id, line -> {
            ctx.err().println(line);
            ctx.err().flush();
        })) {
            ctx.console().info("Athena query " + id + " (workgroup " + athena.workgroup() + ")");
            done = athena.await(id, limit, q -> ctx.console().debug("  " + q.status().state()));
        }
        AthenaQueries.requireSucceeded(done);
        try (AthenaResults rows = athena.results(done, resultsFrom, deadline)) {
            print(ctx, rows);
        }
        ctx.console().info(statistics(athena, done));
    }

    /** Athena for the env; $LAKEHOUSE_ATHENA_POLL sets the first poll interval (tests make it short). */
    public static AthenaQueries queries(CliContext ctx, Environment env) {
        AthenaQueries athena = new AthenaQueries(env, ctx.aws());
        String poll = ctx.system().variable("LAKEHOUSE_ATHENA_POLL");
        if (poll != null) {
            Duration first = DurationOption.positive(poll, "LAKEHOUSE_ATHENA_POLL");
            athena.polling(first, first.multipliedBy(8));
        }
        return athena;
    }

    /** "SUCCEEDED in 1.2s: scanned 3.4 MiB, engine 800ms, cost $0.00005 (at $5.00/TB)". */
    static String statistics(AthenaQueries athena, QueryExecution q) {
        var stats = q.statistics();
        long scanned = stats == null || stats.dataScannedInBytes() == null ? 0 : stats.dataScannedInBytes();
        long engineMs = stats == null || stats.engineExecutionTimeInMillis() == null ? 0 : stats.engineExecutionTimeInMillis();
        long totalMs = stats == null || stats.totalExecutionTimeInMillis() == null ? engineMs : stats.totalExecutionTimeInMillis();
        return String.format(Locale.ROOT, "query %s %s in %s: scanned %s, engine %s, cost $%.6f (at $%.2f/TB)",
                q.queryExecutionId(), q.status().state(), Durations.format(Duration.ofMillis(totalMs)), ByteSize.of(scanned),
                Durations.format(Duration.ofMillis(engineMs)), athena.cost(q), athena.pricePerTb());
    }

    /** Streams the rows to stdout, up to --max-rows; says on stderr when that left rows unprinted. */
    private void print(CliContext ctx, ResultRows rows) {
        if (maxRows == null) {
            ctx.output().stream(rows.columns(), rows);
            return;
        }
        long n = ctx.output().stream(rows.columns(), limited(rows, maxRows));
        if (n == maxRows && rows.hasNext()) {
            ctx.console().info("(stopped at --max-rows " + maxRows + "; the query has more rows)");
        }
    }

    private static java.util.Iterator<Object[]> limited(java.util.Iterator<Object[]> rows, long max) {
        return new java.util.Iterator<>() {
            long n;

            @Override
            public boolean hasNext() {
                return n < max && rows.hasNext();
            }

            @Override
            public Object[] next() {
                n++;
                return rows.next();
            }
        };
    }

    /**
     * SELECT, WITH, VALUES, SHOW, DESCRIBE only read, and so does EXPLAIN of them; anything else
     * passes the account guard first. EXPLAIN ANALYZE runs its statement, so {@code EXPLAIN ANALYZE
     * INSERT ...} writes: EXPLAIN is judged by what it explains.
     */
    static boolean isReadOnly(String sql) {
        List<SqlTokens.Token> tokens = SqlTokens.of(sql); // comments and white space are not tokens
        int i = 0;
        while (i < tokens.size() && tokens.get(i).isWord("EXPLAIN")) {
            i++;
            while (i < tokens.size() && (tokens.get(i).isWord("ANALYZE") || tokens.get(i).isWord("VERBOSE"))) {
                i++;
            }
            if (i < tokens.size() && tokens.get(i).isSymbol('(')) { // (FORMAT JSON, TYPE ...)
                while (i < tokens.size() && !tokens.get(i).isSymbol(')')) {
                    i++;
                }
                i++;
            }
        }
        return i < tokens.size() && (tokens.get(i).isSymbol('(') || READING_VERBS.contains(tokens.get(i).upper()));
    }

    private static final java.util.Set<String> READING_VERBS = java.util.Set.of("SELECT", "WITH", "SHOW", "DESCRIBE", "VALUES");

    private LocalQueryEngine.TimeTravel timeTravel() {
        if (travel == null) {
            return LocalQueryEngine.TimeTravel.current();
        }
        Instant at = travel.asOf == null ? null : TimeOption.parse(travel.asOf, "--as-of");
        return new LocalQueryEngine.TimeTravel(travel.snapshot, travel.tag, at);
    }

    private String sqlText(CliContext ctx) {
        if (sql != null && file != null) {
            throw LakehouseException.usage("Give the query either as an argument or with -f, not both");
        }
        String text;
        if (sql != null) {
            text = sql;
        } else if (file != null) {
            Path path = ctx.system().workingDirectory().resolve(file);
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                throw LakehouseException.usage("-f: no such file: " + path);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw LakehouseException.usage("-f: " + path + " is not UTF-8 text");
            } catch (IOException e) {
                throw LakehouseException.usage("-f: cannot read " + path + ": " + e.getMessage());
            }
        } else if (!ctx.system().stdinTerminal()) {
            text = ctx.readStdin();
        } else {
            throw LakehouseException.usage("No query: give SQL as an argument, with -f FILE, or on stdin");
        }
        if (text.isBlank()) {
            throw LakehouseException.usage("The query is empty");
        }
        if (SqlTokens.of(text).isEmpty()) {
            throw LakehouseException.usage("The query is only comments");
        }
        return text.strip().replaceFirst(";\\s*$", "");
    }
}
