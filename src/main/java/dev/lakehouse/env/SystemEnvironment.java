package dev.lakehouse.env;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * What the process was started with: environment variables, system properties, working
 * directory, and which standard streams are terminals. Read in one place ({@code current()}) and
 * passed down, so tests can run the whole CLI in-process with a made-up environment.
 */
public record SystemEnvironment(
        Map<String, String> variables,
        Map<String, String> properties,
        Path workingDirectory,
        boolean stdinTerminal,
        boolean stderrTerminal) {

    public SystemEnvironment {
        variables = Map.copyOf(variables);
        properties = Map.copyOf(properties);
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /** The real process environment. The launcher says which streams are terminals (Java 17 cannot tell). */
    public static SystemEnvironment current() {
        Properties props = System.getProperties();
        Map<String, String> properties = new java.util.HashMap<>();
        for (String name : props.stringPropertyNames()) {
            properties.put(name, props.getProperty(name));
        }
        String ttys = properties.get("lakehouse.tty");
        boolean console = System.console() != null;
        boolean stdin = ttys == null ? console : ttys.contains("stdin");
        boolean stderr = ttys == null ? console : ttys.contains("stderr");
        return new SystemEnvironment(System.getenv(), properties, Path.of(""), stdin, stderr);
    }

    /** An environment variable, or null when unset or empty. */
    public String variable(String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** A system property, or null when unset or empty. */
    public String property(String name) {
        String v = properties.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
