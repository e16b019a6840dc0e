package dev.lakehouse.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The moto AWS emulator (third-party, speaks the real AWS protocols) for tests: started once per
 * test run on a free loopback port, reset before each test class. Installed by
 * src/test/moto/install.sh, which `mvn verify` runs first. Use with
 * {@code @ExtendWith(MotoServer.class)}.
 */
public final class MotoServer implements BeforeAllCallback {
    private static Process process;
    private static URI endpoint;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
        reset();
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("moto is not started: annotate the test class with @ExtendWith(MotoServer.class)");
        }
        return endpoint;
    }

    /** Starts moto outside JUnit (benchmarks); stopped when the JVM exits. */
    public static URI startStandalone() throws IOException, InterruptedException {
        start();
        return endpoint();
    }

    /** moto's fixed account id. */
    public static final String ACCOUNT = "123456789012";

    private static synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        String executable = System.getProperty("lakehouse.test.motoServer",
                Path.of(".venv-moto/bin/moto_server").toAbsolutePath().toString());
        if (!Files.isExecutable(Path.of(executable))) {
            throw new IllegalStateException("moto_server not found at " + executable
                    + ": run the tests with 'make test' or 'mvn verify', which install it with"
                    + " src/test/moto/install.sh (needs Python 3.9+ with venv)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Path.of(System.getProperty("lakehouse.test.projectDir", "."), "target", "moto-server.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("MOTO_ALLOW_NONEXISTENT_REGION", "true");
        process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy()));
        URI uri = URI.create("http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                if (status(uri.resolve("/moto-api/"), "GET") == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroy();
                throw new IllegalStateException("moto_server did not answer on " + uri + " within 60 s; see " + log);
            }
            Thread.sleep(100);
        }
        endpoint = uri;
        // Any credentials will do for moto; set them where the SDK's default chain looks first.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    /** Clears all of moto's state (buckets, tables, tasks...). */
    public static void reset() throws IOException {
        int code = status(endpoint().resolve("/moto-api/reset"), "POST");
        if (code != 200) {
            throw new IOException("moto reset answered HTTP " + code);
        }
    }

    private static int status(URI uri, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }
}
