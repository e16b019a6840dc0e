package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.env.Environment;
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

@Command(name = "stop",
        header = "Stop DMS tasks and Serverless replications; optionally wait until they have stopped.",
        description = {
            "A task that is not running is left alone, so this is safe to run before a schema migration whatever the"
                + " state. A stopped task keeps its recovery checkpoint: 'dms start' resumes from it.",
            "",
            "--wait waits until each one has stopped (exit 4 after --timeout)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms stop --env dev --wait",
            "  lakehouse dms stop orders --env prod --wait --timeout 10m"})
public final class StopTaskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*", paramLabel = "TASK", description = "Names from the env, or ARNs; default: all of the env's.")
    List<String> names;

    @Option(names = "--wait", description = "Wait until stopped; exit 4 after --timeout.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin
    DmsOptions.Polling polling;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        var wait = polling.with(timeout);
        Environment env = ctx.environment();
        List<DmsTarget> targets = DmsTarget.resolve(env, names);
        Replications replications = new Replications(ctx.aws().dms());
        List<ReplicationState> before = replications.describe(targets);
        List<String> stopping = before.stream().filter(s -> !s.idle() && !s.status().equals("stopping"))
                .map(s -> s.target().name()).toList();
        if (!stopping.isEmpty()) {
            ctx.guard("stop DMS " + String.join(", ", stopping));
        }
        Map<ReplicationState, ReplicationWaiter.Goal> goals = new LinkedHashMap<>();
        List<StartTaskCommand.Row> rows = new ArrayList<>();
        List<Integer> waiting = new ArrayList<>();
        for (ReplicationState s : before) {
            if (s.idle()) {
                ctx.console().info(s.target().name() + ": already " + s.status() + ", nothing to stop");
                rows.add(new StartTaskCommand.Row(s, "none: already " + s.status()));
                continue;
            }
            if (s.status().equals("stopping")) {
                ctx.console().info(s.target().name() + ": already stopping");
                rows.add(new StartTaskCommand.Row(s, "none: already stopping"));
                waiting.add(rows.size() - 1);
                goals.put(s, ReplicationWaiter.stopped());
                continue;
            }
            ReplicationState after = replications.stop(s);
            ctx.console().info(s.target().name() + ": stop (" + after.status() + ")");
            rows.add(new StartTaskCommand.Row(after, "stop"));
            waiting.add(rows.size() - 1);
            goals.put(after, ReplicationWaiter.stopped());
        }
        if (await && !goals.isEmpty()) {
            List<ReplicationState> done = new ReplicationWaiter(replications, ctx.console()).await(goals, wait);
            for (int i = 0; i < done.size(); i++) {
                int r = waiting.get(i);
                rows.set(r, new StartTaskCommand.Row(done.get(i), rows.get(r).action()));
            }
        }
        ctx.output().table(rows, StartTaskCommand.columns());
        return 0;
    }
}
