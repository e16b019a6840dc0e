package dev.lakehouse.athena;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.AwsClients;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.BatchGetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StatementType;
import software.amazon.awssdk.services.athena.model.WorkGroup;

/**
 * Amazon Athena for an env: queries in its workgroup, with its Glue database as the default and
 * its result location; waiting with backoff; results; history; the workgroup's settings.
 */
public final class AthenaQueries {
    /** Athena bills at least 10 MB per query, rounded up to whole megabytes. */
    static final long MIN_BILLED_BYTES = 10L * 1024 * 1024;

    private final Environment env;
    private final AwsClients aws;
    private final AthenaClient athena;
    private Duration firstPoll = Duration.ofMillis(200);
    private Duration maxPoll = Duration.ofSeconds(2);

    public AthenaQueries(Environment env, AwsClients aws) {
        if (env.athenaWorkgroup() == null) {
            throw LakehouseException.failed("env " + env.name() + " has no Athena workgroup: it comes from the Terraform"
                    + " output 'lakehouse' (key athena_workgroup) or overrides: in " + env.file());
        }
        this.env = env;
        this.aws = aws;
        this.athena = aws.athena();
    }

    /** Polling intervals (tests make them short). */
    public AthenaQueries polling(Duration first, Duration max) {
        this.firstPoll = first;
        this.maxPoll = max;
        return this;
    }

    public String workgroup() {
        return env.athenaWorkgroup();
    }

    /** Starts a query; returns its id at once. */
    public String start(String sql, List<String> parameters) {
        StartQueryExecutionRequest.Builder r = StartQueryExecutionRequest.builder()
                .queryString(sql)
                .workGroup(env.athenaWorkgroup());
        if (env.namespace() != null) {
            r.queryExecutionContext(c -> c.database(env.namespace()).catalog("AwsDataCatalog"));
        }
        if (env.athenaResultLocation() != null) {
            r.resultConfiguration(c -> c.outputLocation(env.athenaResultLocation() + "/"));
        }
        if (parameters != null && !parameters.isEmpty()) {
            r.executionParameters(parameters);
        }
        return athena.startQueryExecution(r.build()).queryExecutionId();
    }

    public QueryExecution get(String id) {
        return athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
    }

    /**
     * Waits until the query ends, calling {@code onState} at each state change; polls with backoff.
     * On timeout the query is stopped and exit code 4 is thrown.
     */
    public QueryExecution await(String id, Duration timeout, Consumer<QueryExecution> onState) {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        Duration pause = firstPoll;
        QueryExecutionState last = null;
        while (true) {
            QueryExecution q = get(id);
            QueryExecutionState state = q.status().state();
            if (state != last) {
                onState.accept(q);
                last = state;
            }
            if (state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED
                    || state == QueryExecutionState.CANCELLED) {
                return q;
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                stop(id);
                throw LakehouseException.timedOut("Athena query " + id + " was still " + state + " after --timeout "
                        + Durations.format(timeout) + "; it was stopped");
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll : pause.multipliedBy(2);
        }
    }

    /** Stops a query if the process ends first; closing it (the query is over) takes the hook away. */
    public interface StopOnExit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Until closed, a Ctrl-C or SIGTERM stops the query in Athena before the process exits, so it does
     * not run (and bill) on after the CLI is gone; {@code said} gets the line saying so.
     */
    public StopOnExit stopOnExit(String id, Consumer<String> said) {
        Thread stopper = new Thread(() -> {
            try {
                stop(id);
                said.accept("stopped Athena query " + id);
            } catch (RuntimeException ignored) {
                // exiting anyway
            }
        }, "athena-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopper);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        };
    }

    public void stop(String id) {
        athena.stopQueryExecution(r -> r.queryExecutionId(id));
    }

    /** Fails (exit 1) with Athena's own reason unless the query succeeded. */
    public static void requireSucceeded(QueryExecution q) {
        QueryExecutionState state = q.status().state();
        if (state == QueryExecutionState.SUCCEEDED) {
            return;
        }
        String reason = q.status().athenaError() != null && q.status().athenaError().errorMessage() != null
                ? q.status().athenaError().errorMessage() : q.status().stateChangeReason();
        throw LakehouseException.failed("Athena query " + q.queryExecutionId() + " " + state
                + (reason == null ? "" : ": " + reason.lines().findFirst().orElse(reason)));
    }

    /** The rows of a finished query, streamed (GetQueryResults pages, or the result file on S3). */
    public AthenaResults results(String id, AthenaResults.Source source) {
        return results(get(id), source, null);
    }

    /**
     * The rows of a query this process saw finish ({@link #await}): no GetQueryExecution again.
     * Reading them stops with exit 4 after {@code deadline} (null: no limit).
     */
    public AthenaResults results(QueryExecution finished, AthenaResults.Source source, AthenaResults.Deadline deadline) {
        return new AthenaResults(athena, aws.s3(), finished, source, deadline);
    }

    /** The workgroup's queries {@link #history} returns, and whether older ones were left unsearched. */
    public record History(List<QueryExecution> queries, int searched, boolean olderLeft) {
    }

    /** How many of the workgroup's newest queries {@link #history} looks through at most (two API calls per 50). */
    static final int HISTORY_SEARCHED = 1000;

    /**
     * Recent queries of the workgroup, newest first: the listing is read page by page (50 ids, their
     * details in one BatchGetQueryExecution) until {@code limit} queries in {@code state} are found, the
     * workgroup's history ends, or {@link #HISTORY_SEARCHED} queries were looked through, so a filter
     * finds matches however many other queries came after them, within a bounded number of calls.
     */
    public History history(int limit, QueryExecutionState state) {
        List<QueryExecution> found = new ArrayList<>();
        String token = null;
        int searched = 0;
        do {
            String t = token;
            var page = athena.listQueryExecutions(r -> r.workGroup(env.athenaWorkgroup()).maxResults(50).nextToken(t));
            List<String> chunk = page.queryExecutionIds();
            searched += chunk.size();
            if (!chunk.isEmpty()) {
                BatchGetQueryExecutionResponse batch = athena.batchGetQueryExecution(r -> r.queryExecutionIds(chunk));
                // in the listing's order (newest first): BatchGet's own order is not documented, and --limit
                // must keep the newest
                java.util.Map<String, QueryExecution> byId = new java.util.HashMap<>();
                batch.queryExecutions().forEach(q -> byId.put(q.queryExecutionId(), q));
                for (String id : chunk) {
                    QueryExecution q = byId.get(id);
                    if (q != null && (state == null || q.status().state() == state) && found.size() < limit) {
                        found.add(q);
                    }
                }
            }
            token = page.nextToken();
        } while (token != null && found.size() < limit && searched < HISTORY_SEARCHED);
        found.sort((a, b) -> submitted(b).compareTo(submitted(a)));
        return new History(found, searched, token != null && found.size() < limit);
    }

    static Instant submitted(QueryExecution q) {
        return q.status() == null || q.status().submissionDateTime() == null ? Instant.EPOCH : q.status().submissionDateTime();
    }

    public WorkGroup workgroupSettings() {
        return athena.getWorkGroup(r -> r.workGroup(env.athenaWorkgroup())).workGroup();
    }

    /**
     * USD for a query at the env's price per TB, as Athena bills it: the bytes scanned rounded up to
     * a megabyte, at least 10 MB; nothing for a failed query, for a DDL or utility statement that
     * scanned nothing (SHOW, DESCRIBE, ALTER TABLE; one that scans, if Athena types OPTIMIZE so, is
     * billed), nor for a query that has scanned nothing yet.
     */
    public double cost(QueryExecution q) {
        long scanned = q.statistics() == null || q.statistics().dataScannedInBytes() == null ? 0
                : q.statistics().dataScannedInBytes();
        boolean failed = q.status() != null && q.status().state() == QueryExecutionState.FAILED;
        boolean billedType = q.statementType() == null || q.statementType() == StatementType.DML;
        boolean succeeded = q.status() != null && q.status().state() == QueryExecutionState.SUCCEEDED;
        if (failed || (scanned == 0 && (!billedType || !succeeded))) {
            return 0;
        }
        long billed = Math.max(MIN_BILLED_BYTES, (scanned + (1 << 20) - 1) / (1 << 20) * (1 << 20));
        return billed / 1e12 * env.athenaPricePerTb();
    }

    public double pricePerTb() {
        return env.athenaPricePerTb();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LakehouseException.failed("Interrupted while waiting for Athena", e);
        }
    }
}
