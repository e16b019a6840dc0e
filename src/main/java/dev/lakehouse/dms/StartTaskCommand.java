package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.Columns;
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

@Command(name = "start",
        header = "Start (or resume, or reload) DMS tasks and Serverless replications; optionally wait for them.",
        description = {
            "--type auto (the default) starts a task that never ran (start-replication) and resumes one that did"
                + " (resume-processing), from its recovery checkpoint. A task already starting or running is left"
                + " alone, so running this after every 'terraform apply' is safe. A full-load task whose full load"
                + " stopped or failed part way resumes by loading the tables not loaded yet; one whose full load finished"
                + " (or a full-load Serverless replication that ran) has nothing to resume: say --type reload. A task that"
                + " never ran takes only start-replication (DMS: any other type on a first run gives data errors).",
            "",
            "--type reload (reload-target) loads every table again: destructive on the target, so it asks on a terminal"
                + " and needs --yes otherwise. --dry-run shows what each task would get.",
            "",
            "--wait waits, printing each change of state on stderr, until a CDC task is running, a full-load task has"
                + " finished its full load (it stops with FULL_LOAD_ONLY_FINISHED: success), and a full-load-and-cdc task"
                + " has finished its full load and goes on with CDC. Exit 1 with the task's own failure message if it"
                + " fails or stops, exit 4 after --timeout."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms start --env dev",
            "  lakehouse dms start --env dev --wait --timeout 2h",
            "  lakehouse dms start orders --env prod --type reload --yes --wait",
            "  lakehouse dms start --env prod --dry-run"})
public final class StartTaskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*", paramLabel = "TASK", description = "Names from the env, or ARNs; default: all of the env's.")
    List<String> names;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "auto",
            description = "auto, start (start-replication), resume (resume-processing) or reload (reload-target;"
                    + " destructive). Default: ${DEFAULT-VALUE}.")
    StartType type;

    @Option(names = "--wait", description = "Wait until running (CDC) or the full load finished; exit 4 after --timeout.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}; e.g. 90s, 2h).")
    String timeout;

    @Option(names = {"-y", "--yes"}, description = "Do not ask before --type reload (needed when stdin is not a terminal).")
    boolean yes;

    @Option(names = "--dry-run", description = "Show what each task would get; start nothing.")
    boolean dryRun;

    @Mixin
    DmsOptions.Polling polling;

    /** One task and what this command did to it. */
    record Row(ReplicationState state, String action) {
    }

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        var wait = polling.with(timeout);
        Environment env = ctx.environment();
        List<DmsTarget> targets = DmsTarget.resolve(env, names);
        Replications replications = new Replications(ctx.aws().dms());
        List<ReplicationState> before = replications.describe(targets);
        Map<ReplicationState, StartType> plan = new LinkedHashMap<>();
        for (ReplicationState s : before) {
            plan.put(s, type.resolve(s));
        }
        if (dryRun) {
            List<Row> rows = new ArrayList<>();
            plan.forEach((s, t) -> rows.add(new Row(s, t == null ? "none: already " + s.status() : "would " + t.apiValue())));
            ctx.output().table(rows, columns());
            ctx.console().info("dry run: nothing was started");
            return 0;
        }
        List<String> reloads = plan.entrySet().stream().filter(e -> e.getValue() == StartType.reload)
                .map(e -> e.getKey().target().name()).toList();
        if (!reloads.isEmpty()) {
            ctx.confirm(yes, "reload every table of DMS " + String.join(", ", reloads)
                    + " (reload-target: the target tables are loaded again from the source)");
        }
        List<String> starting = plan.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey().target().name()).toList();
        if (!starting.isEmpty()) {
            ctx.guard("start DMS " + String.join(", ", starting));
        }
        Map<ReplicationState, ReplicationWaiter.Goal> goals = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (var e : plan.entrySet()) {
            ReplicationState s = e.getKey();
            StartType t = e.getValue();
            if (t == null) {
                ctx.console().info(s.target().name() + ": already " + s.status() + ", nothing to start");
                rows.add(new Row(s, "none: already " + s.status()));
                goals.put(s, ReplicationWaiter.started(StartType.resume, s));
                continue;
            }
            ReplicationState after = replications.start(s, t);
            ctx.console().info(s.target().name() + ": " + t.apiValue() + " (" + after.status() + ")");
            rows.add(new Row(after, t.apiValue()));
            goals.put(after, ReplicationWaiter.started(t, s));
        }
        if (await) {
            List<ReplicationState> done = new ReplicationWaiter(replications, ctx.console()).await(goals, wait);
            for (int i = 0; i < rows.size(); i++) {
                rows.set(i, new Row(done.get(i), rows.get(i).action()));
            }
        }
        ctx.output().table(rows, columns());
        return 0;
    }

    static Columns<Row> columns() {
        return Columns.of(Row.class)
                .add("name", r -> r.state().target().name())
                .add("kind", r -> r.state().target().kind())
                .add("action", Row::action)
                .add("status", r -> r.state().status())
                .add("type", r -> r.state().migrationType())
                .add("progress_percent", r -> r.state().progressPercent())
                .add("stop_reason", r -> r.state().stopReason())
                .addJsonOnly("arn", r -> r.state().target().arn())
                .addJsonOnly("tables_loaded", r -> r.state().tablesLoaded())
                .addJsonOnly("tables_errored", r -> r.state().tablesErrored())
                .addJsonOnly("full_load_finished_at", r -> r.state().fullLoadFinishedAt());
    }
}
