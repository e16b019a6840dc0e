package dev.lakehouse.output;

import java.io.PrintWriter;

/**
 * Messages for people on stderr, so stdout carries only results: notes (silenced by
 * {@code --quiet}), warnings, and details shown with {@code --verbose}.
 */
public final class Console {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean verbose;
    private final boolean terminal;

    public Console(PrintWriter err, boolean quiet, boolean verbose, boolean terminal) {
        this.err = err;
        this.quiet = quiet;
        this.verbose = verbose;
        this.terminal = terminal;
    }

    /** A note about what is happening; not printed with --quiet. */
    public void info(String message) {
        if (!quiet) {
            err.println(message);
            err.flush();
        }
    }

    /** Something the user should know even with --quiet. */
    public void warn(String message) {
        err.println("warning: " + message);
        err.flush();
    }

    /** Detail shown only with --verbose. */
    public void debug(String message) {
        if (verbose) {
            err.println(message);
            err.flush();
        }
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Whether stderr is a terminal (progress may redraw one line there). */
    public boolean terminal() {
        return terminal;
    }

    public PrintWriter writer() {
        return err;
    }
}
