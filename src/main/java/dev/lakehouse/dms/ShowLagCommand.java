package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.DurationOption;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.Columns;
import dev.lakehouse.output.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lag",
        header = "CDC latency of DMS tasks from CloudWatch, and how fresh the Iceberg tables they feed are.",
        description = {
            "CDCLatencySource (a source commit until DMS read it) and CDCLatencyTarget (until DMS wrote it to the raw"
                + " zone), in seconds: the newest value and the maximum over --window (namespace AWS/DMS, per-minute"
                + " maximum). Then, for each Iceberg table of tables.yaml the task feeds, the newest source commit that"
                + " 'iceberg convert' has applied and its age: the end-to-end freshness (-o json lists every table).",
            "",
            "With --max, exit 3 when a task's newest latency is above it, when a task is not running, when CloudWatch"
                + " has no latency data for it in the window, or when its newest data point is over 10 minutes old: a cron"
                + " job or CI step can alert on the exit code."
                + " Full-load tasks have no CDC and are only listed."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms lag --env dev",
            "  lakehouse dms lag --env prod --max 60s -q || notify 'DMS is behind'",
            "  lakehouse dms lag orders --env prod --window 1h -o json"})
public final class ShowLagCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TASK", description = "Name from the env or ARN; default: all.")
    String name;

    @Option(names = "--max", paramLabel = "DURATION",
            description = "Exit 3 when the newest latency is above this (or a task is not running, or has no data).")
    String max;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "15m",
            description = "How far back to read the metrics (default: ${DEFAULT-VALUE}).")
    String window;

    /**
     * One task's lag.
     *
     * @param stalest the fed table whose newest applied commit is oldest, or null
     */
    record Row(ReplicationState state, CdcLag.Latency latency, List<Freshness.Table> tables, Freshness.Table stalest,
               String note) {
    }

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Duration limit = max == null ? null : DurationOption.positive(max, "--max");
        Duration span = DurationOption.positive(window, "--window");
        Environment env = ctx.environment();
        List<DmsTarget> targets = DmsTarget.resolve(env, name == null ? List.of() : List.of(name));
        Replications replications = new Replications(ctx.aws().dms());
        List<ReplicationState> states = replications.describe(targets);
        CdcLag lag = new CdcLag(replications, ctx.aws().cloudWatch());
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Freshness freshness = new Freshness(env, env.dmsTasks().size() + env.dmsReplications().size())) {
            for (ReplicationState s : states) {
                if (!s.hasCdc()) {
                    rows.add(new Row(s, null, List.of(), null, "full-load task: no CDC"));
                    continue;
                }
                CdcLag.Latency latency = lag.measure(s, span, now);
                List<Freshness.Table> tables = freshness.of(s, now);
                Freshness.Table stalest = tables.stream().filter(t -> t.age() != null)
                        .max(java.util.Comparator.comparing(Freshness.Table::age)).orElse(null);
                String note = null;
                if (!latency.hasData()) {
                    note = "no CDC latency data in the last " + Durations.format(span)
                            + (latency.dimensions().isEmpty() ? " (no CloudWatch metric found for it)" : "");
                } else if (stale(latency, now)) {
                    note = "the newest latency is from " + latency.latestAt() + ", "
                            + Durations.format(Duration.between(latency.latestAt(), now).withNanos(0)) + " ago";
                }
                rows.add(new Row(s, latency, tables, stalest, note));
                if (limit != null) {
                    String problem = check(s, latency, limit, span, now);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        }
        ctx.output().table(rows, columns());
        for (Row r : rows) {
            for (Freshness.Table t : r.tables()) {
                if (t.problem() != null) {
                    ctx.console().debug(r.state().target().name() + ": " + t.table() + ": " + t.problem());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw LakehouseException.checkFailed(String.join("; ", problems));
        }
        return 0;
    }

    /**
     * DMS publishes its CDC latency every minute while it replicates; a newest point this old means it
     * stopped reporting (a stalled task still says "running"), and its last value says nothing of now.
     */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private static boolean stale(CdcLag.Latency latency, Instant now) {
        return latency.latestAt() != null && latency.latestAt().isBefore(now.minus(STALE_AFTER));
    }

    private static String check(ReplicationState s, CdcLag.Latency latency, Duration limit, Duration span, Instant now) {
        String name = s.target().label();
        if (!s.running()) {
            return name + " is " + s.status() + (s.stopReason() == null ? "" : " (" + s.stopReason() + ")")
                    + (s.lastFailure() == null ? "" : ": " + s.lastFailure()) + ": no changes are being replicated";
        }
        if (!latency.hasData()) {
            return name + " has no CDC latency data in CloudWatch for the last " + Durations.format(span);
        }
        if (stale(latency, now)) {
            return name + " has reported no CDC latency since " + latency.latestAt() + " ("
                    + Durations.format(Duration.between(latency.latestAt(), now).withNanos(0))
                    + " ago): its last value says nothing of now";
        }
        BigDecimal seconds = BigDecimal.valueOf(limit.toMillis()).movePointLeft(3);
        if (latency.latest().compareTo(seconds) > 0) {
            return name + " CDC latency is " + latency.latest().toPlainString() + "s, above --max "
                    + Durations.format(limit) + " (source " + text(latency.source()) + "s, target "
                    + text(latency.target()) + "s at " + latency.latestAt() + ")";
        }
        return null;
    }

    private static String text(BigDecimal d) {
        return d == null ? "-" : d.toPlainString();
    }

    private static Columns<Row> columns() {
        return Columns.of(Row.class)
                .add("name", r -> r.state().target().name())
                .add("status", r -> r.state().status())
                .add("source_latency_seconds", r -> r.latency() == null ? null : r.latency().source())
                .add("target_latency_seconds", r -> r.latency() == null ? null : r.latency().target())
                .add("max_source_latency_seconds", r -> r.latency() == null ? null : r.latency().maxSource())
                .add("max_target_latency_seconds", r -> r.latency() == null ? null : r.latency().maxTarget())
                .add("stalest_table", r -> r.stalest() == null ? null : r.stalest().table())
                .add("freshness_seconds", r -> r.stalest() == null ? null : r.stalest().age().toSeconds())
                .add("note", Row::note)
                .addJsonOnly("measured_at", r -> r.latency() == null ? null : r.latency().latestAt())
                .addJsonOnly("dimensions", r -> r.latency() == null ? null : r.latency().dimensions())
                .addJsonOnly("tables", r -> tables(r.tables()));
    }

    private static List<Map<String, Object>> tables(List<Freshness.Table> tables) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Freshness.Table t : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", t.source());
            m.put("table", t.table());
            m.put("newest_commit", t.newestCommit());
            m.put("freshness_seconds", t.age() == null ? null : t.age().toSeconds());
            m.put("problem", t.problem());
            list.add(m);
        }
        return list;
    }
}
