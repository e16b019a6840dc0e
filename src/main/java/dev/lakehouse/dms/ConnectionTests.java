package dev.lakehouse.dms;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.Console;
import dev.lakehouse.output.Durations;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.databasemigration.model.Connection;
import software.amazon.awssdk.services.databasemigration.model.Filter;
import software.amazon.awssdk.services.databasemigration.model.InvalidResourceStateException;
import software.amazon.awssdk.services.databasemigration.model.ResourceNotFoundException;

/**
 * Tests the source and target endpoints of classic tasks from their replication instance
 * (TestConnection) and waits for the results (DescribeConnections).
 */
public final class ConnectionTests {
    /** The outcome of one endpoint's test. */
    public record Result(String task, String role, String endpoint, String instance, String status, String failure,
                         String endpointArn) {
        public boolean successful() {
            return "successful".equals(status);
        }
    }

    private final DatabaseMigrationClient dms;
    private final Console console;

    public ConnectionTests(DatabaseMigrationClient dms, Console console) {
        this.dms = dms;
        this.console = console;
    }

    private record Pending(ReplicationState task, String role, String endpointArn) {
    }

    /** Starts a test of each task's source and target endpoint, then waits until none is testing. */
    public List<Result> run(List<ReplicationState> tasks, ReplicationWaiter.Polling polling) {
        List<Pending> tests = new ArrayList<>();
        for (ReplicationState t : tasks) {
            if (t.instanceArn() == null) {
                throw LakehouseException.usage("Cannot test the connections of " + t.target().label() + ": DMS"
                        + " Serverless tests its endpoints itself each time a replication starts (state testing_connection);"
                        + " test-connection works on classic tasks");
            }
            tests.add(new Pending(t, "source", t.sourceEndpointArn()));
            tests.add(new Pending(t, "target", t.targetEndpointArn()));
        }
        for (Pending p : tests) {
            try {
                dms.testConnection(r -> r.replicationInstanceArn(p.task().instanceArn()).endpointArn(p.endpointArn()));
                console.info(p.task().target().name() + ": testing the " + p.role() + " endpoint " + p.endpointArn());
            } catch (InvalidResourceStateException refused) {
                // DMS refuses a second test while one is under way: then wait for its result. It refuses for other
                // reasons too (the instance is being modified): the last result on record is not an answer then
                Connection c = connection(p.task().instanceArn(), p.endpointArn());
                if (c == null || !"testing".equals(c.status())) {
                    throw LakehouseException.failed("Cannot test the " + p.role() + " endpoint of " + p.task().target().label()
                            + ": " + Replications.message(refused) + " (InvalidResourceStateFault)", refused);
                }
                console.info(p.task().target().name() + ": a test of the " + p.role() + " endpoint is already under way");
            } catch (ResourceNotFoundException e) {
                throw LakehouseException.failed("Cannot test the " + p.role() + " endpoint of " + p.task().target().label()
                        + ": " + Replications.message(e), e);
            }
        }
        ReplicationWaiter.Pauses pauses = new ReplicationWaiter.Pauses(polling);
        List<String> stillTesting = tests.stream().map(p -> p.task().target().name() + " " + p.role()).toList();
        while (true) {
            try {
                List<Result> results = new ArrayList<>();
                for (Pending p : tests) {
                    Connection c = connection(p.task().instanceArn(), p.endpointArn());
                    String status = c == null ? "testing" : c.status();
                    results.add(new Result(p.task().target().name(), p.role(),
                            c == null ? null : c.endpointIdentifier(), c == null ? null : c.replicationInstanceIdentifier(),
                            status, c == null || c.lastFailureMessage() == null || c.lastFailureMessage().isBlank() ? null
                            : c.lastFailureMessage(), p.endpointArn()));
                }
                stillTesting = results.stream().filter(r -> "testing".equals(r.status())).map(r -> r.task() + " " + r.role()).toList();
                if (stillTesting.isEmpty()) {
                    return results;
                }
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                if (!ReplicationWaiter.worthAnotherPoll(e)) {
                    throw e;
                }
                // throttled past the SDK's retries, or a network blip: the tests run on in DMS; poll again
                // until --timeout, as start --wait does, rather than report a failure that is not one
                console.debug("  could not read the connection tests (" + e.getMessage() + "); polling again");
            }
            if (!pauses.sleep()) {
                throw LakehouseException.timedOut("Timed out after " + Durations.format(polling.timeout())
                        + " waiting for DMS connection tests: " + String.join(", ", stillTesting) + " still testing");
            }
        }
    }

    private Connection connection(String instanceArn, String endpointArn) {
        List<Connection> found = new ArrayList<>();
        try {
            dms.describeConnectionsPaginator(r -> r.filters(
                            Filter.builder().name("endpoint-arn").values(endpointArn).build(),
                            Filter.builder().name("replication-instance-arn").values(instanceArn).build()))
                    .forEach(page -> found.addAll(page.connections()));
        } catch (ResourceNotFoundException notYet) {
            return null;
        }
        // match both here too: not every implementation applies both filters
        return found.stream().filter(c -> endpointArn.equals(c.endpointArn()) && instanceArn.equals(c.replicationInstanceArn()))
                .findFirst().orElse(null);
    }
}
