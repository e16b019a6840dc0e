package dev.lakehouse.athena;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.ByteSize;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.athena.model.QueryExecution;

/** What the athena commands share. */
final class AthenaCommands {
    private AthenaCommands() {
    }

    static AthenaQueries queries(CliContext ctx) {
        Environment env = ctx.environment();
        if (env.isLocal()) {
            throw LakehouseException.usage("env " + env.name() + " is local and has no Athena: pass --env with an AWS env"
                    + " (queries on local: lakehouse query)");
        }
        return dev.lakehouse.query.QueryCommand.queries(ctx, env);
    }

    static Map<String, Object> describe(QueryExecution q, AthenaQueries athena) {
        Map<String, Object> m = new LinkedHashMap<>();
        var status = q.status();
        var stats = q.statistics();
        m.put("query_id", q.queryExecutionId());
        m.put("state", status.stateAsString());
        m.put("submitted", status.submissionDateTime());
        m.put("completed", status.completionDateTime());
        long scanned = stats == null || stats.dataScannedInBytes() == null ? 0 : stats.dataScannedInBytes();
        m.put("data_scanned", ByteSize.of(scanned));
        m.put("engine_time", stats == null || stats.engineExecutionTimeInMillis() == null ? null
                : Duration.ofMillis(stats.engineExecutionTimeInMillis()));
        m.put("cost_usd", athena.cost(q));
        m.put("workgroup", q.workGroup());
        m.put("database", q.queryExecutionContext() == null ? null : q.queryExecutionContext().database());
        m.put("output_location", q.resultConfiguration() == null ? null : q.resultConfiguration().outputLocation());
        String reason = status.athenaError() != null && status.athenaError().errorMessage() != null
                ? status.athenaError().errorMessage() : status.stateChangeReason();
        m.put("reason", reason);
        m.put("query", q.query());
        return m;
    }

    static String firstLine(String sql) {
        if (sql == null) {
            return null;
        }
        String line = sql.strip().lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
