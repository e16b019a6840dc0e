package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.Columns;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "test-connection",
        header = "Test the source and target endpoints of DMS tasks from their replication instance; wait for the result.",
        description = "Runs TestConnection for each endpoint of each task and waits until DMS has a result. Exit 3 when an"
                + " endpoint cannot be reached (the failure message says why), exit 4 after --timeout. DMS Serverless"
                + " replications test their endpoints themselves when they start, so they are skipped.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms test-connection --env dev",
            "  lakehouse dms test-connection orders --env prod --timeout 5m"})
public final class TestConnectionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TASK", description = "Name from the env or ARN; default: all.")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait for the results (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin
    DmsOptions.Polling polling;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        var wait = polling.with(timeout);
        Environment env = ctx.environment();
        List<DmsTarget> targets = DmsTarget.resolve(env, name == null ? List.of() : List.of(name));
        if (name == null) {
            targets.stream().filter(t -> t.kind() == DmsTarget.Kind.serverless).forEach(t -> ctx.console().info(t.name()
                    + ": skipped (DMS Serverless tests its endpoints itself when it starts)"));
            targets = targets.stream().filter(t -> t.kind() == DmsTarget.Kind.task).toList();
        }
        List<ConnectionTests.Result> results = targets.isEmpty() ? List.of() : test(ctx, targets, wait);
        ctx.output().table(results, Columns.of(ConnectionTests.Result.class)
                .add("task", ConnectionTests.Result::task)
                .add("role", ConnectionTests.Result::role)
                .add("endpoint", ConnectionTests.Result::endpoint)
                .add("instance", ConnectionTests.Result::instance)
                .add("status", ConnectionTests.Result::status)
                .add("failure", ConnectionTests.Result::failure)
                .addJsonOnly("endpoint_arn", ConnectionTests.Result::endpointArn));
        List<String> failed = results.stream().filter(r -> !r.successful())
                .map(r -> r.task() + " " + r.role() + " endpoint " + (r.endpoint() == null ? r.endpointArn() : r.endpoint())
                        + " is " + r.status() + (r.failure() == null ? "" : ": " + r.failure())).toList();
        if (!failed.isEmpty()) {
            throw LakehouseException.checkFailed("DMS connection test failed: " + String.join("; ", failed));
        }
        return 0;
    }

    private static List<ConnectionTests.Result> test(CliContext ctx, List<DmsTarget> targets, ReplicationWaiter.Polling wait) {
        Replications replications = new Replications(ctx.aws().dms());
        List<ReplicationState> tasks = replications.describe(targets);
        ConnectionTests tests = new ConnectionTests(ctx.aws().dms(), ctx.console());
        ctx.guard("test the DMS endpoints of " + String.join(", ", targets.stream().map(DmsTarget::name).toList()));
        return tests.run(tasks, wait);
    }
}
