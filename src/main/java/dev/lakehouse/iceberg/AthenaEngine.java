package dev.lakehouse.iceberg;

import dev.lakehouse.athena.AthenaJobs;
import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.ByteSize;
import dev.lakehouse.output.Columns;
import dev.lakehouse.query.QueryCommand;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@code --engine athena} for the maintenance commands: run (or with --dry-run, show) their Athena statements. */
final class AthenaEngine {
    private AthenaEngine() {
    }

    /** Whether --engine asks for Athena; refuses it on the local env, rejects unknown engines. */
    static boolean chosen(String engine, CliContext ctx) {
        switch (engine.toLowerCase(Locale.ROOT)) {
            case "local" -> {
                return false;
            }
            case "athena" -> {
                if (ctx.environment().isLocal()) {
                    throw LakehouseException.usage("--engine athena needs an AWS env; env " + ctx.environment().name()
                            + " is local (its engine is this process)");
                }
                return true;
            }
            default -> throw LakehouseException.usage("--engine: '" + engine + "' is not an engine (local, athena)");
        }
    }

    static void run(CliContext ctx, List<String> statements, boolean dryRun, Duration limit, String action) {
        if (dryRun) {
            statements.forEach(s -> ctx.out().println(s + ";"));
            ctx.out().flush();
            ctx.console().info("dry run: " + statements.size() + " Athena statement(s) not run");
            return;
        }
        ctx.guard(action);
        var ran = new AthenaJobs(QueryCommand.queries(ctx, ctx.environment()), ctx.console()).run(statements, limit);
        ctx.output().table(ran, Columns.of(AthenaJobs.Ran.class)
                .add("query_id", AthenaJobs.Ran::queryId)
                .add("state", AthenaJobs.Ran::state)
                .add("data_scanned", r -> ByteSize.of(r.scannedBytes()))
                .add("cost_usd", AthenaJobs.Ran::costUsd)
                .add("statement", r -> r.statement().lines().findFirst().orElse("")));
    }
}
