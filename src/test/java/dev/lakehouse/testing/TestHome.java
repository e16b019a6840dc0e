package dev.lakehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A throwaway checkout layout: a directory with environments/NAME/ files written by the test. */
public final class TestHome {
    private final Path root;

    public TestHome(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("environments"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public TestHome file(String relative, String content) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** environments/NAME/lakehouse.yaml */
    public TestHome env(String name, String yaml) {
        return file("environments/" + name + "/lakehouse.yaml", yaml);
    }

    public TestHome localEnv() {
        return env("local", "type: local\n");
    }

    /** An AWS env on moto's account and region, reading state from the given backend bucket/key. */
    public TestHome awsEnv(String name, String accountId, String extraYaml) {
        return env(name, "type: aws\naccount_id: \"" + accountId + "\"\nregion: us-east-1\n" + extraYaml);
    }

    public CliRun cli() {
        return new CliRun(root);
    }
}
