package dev.lakehouse.testing.athena;

import dev.lakehouse.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in a child JVM, its AWS calls going to moto and Athena's to the fake: for what needs a
 * process of its own, a signal (Ctrl-C) above all. Output and errors go to {@code log}.
 */
public final class ChildCli {
    private ChildCli() {
    }

    public static Process start(Path home, FakeAthena athena, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.lakehouse.Lakehouse"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("LAKEHOUSE_HOME", home.toString());
        pb.environment().put("LAKEHOUSE_ATHENA_POLL", "20ms");
        pb.environment().put("AWS_ENDPOINT_URL", MotoServer.endpoint().toString());
        pb.environment().put("AWS_ENDPOINT_URL_ATHENA", athena.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        return pb.start();
    }

    /** Waits until the child has polled the fake for a query's state twice (it is waiting on it), then sends SIGINT. */
    public static void interruptWhileWaiting(Process child, FakeAthena athena) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (polls(athena) < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        if (polls(athena) < 2) {
            throw new AssertionError("the child never waited on a query: " + athena.calls());
        }
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child did not exit within 30 s of SIGINT");
        }
    }

    private static long polls(FakeAthena athena) {
        return athena.calls().stream().filter("GetQueryExecution"::equals).count();
    }
}
