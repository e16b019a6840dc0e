package dev.lakehouse.cli;

/**
 * An expected failure with a message meant for the user: one line saying what went wrong, with
 * which input, and what to do. The exit code tells scripts what kind of failure it was.
 */
public class LakehouseException extends RuntimeException {
    private final ExitCode exitCode;

    public LakehouseException(ExitCode exitCode, String message) {
        this(exitCode, message, null);
    }

    public LakehouseException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** The operation failed (exit 1). */
    public static LakehouseException failed(String message) {
        return new LakehouseException(ExitCode.FAILED, message);
    }

    public static LakehouseException failed(String message, Throwable cause) {
        return new LakehouseException(ExitCode.FAILED, message, cause);
    }

    /** The command line or configuration is wrong (exit 2). */
    public static LakehouseException usage(String message) {
        return new LakehouseException(ExitCode.USAGE, message);
    }

    /** A check did not hold (exit 3). */
    public static LakehouseException checkFailed(String message) {
        return new LakehouseException(ExitCode.CHECK_FAILED, message);
    }

    /** The first line of a cause's message (its class name if it has none), for one-line errors. */
    public static String firstLine(Throwable cause) {
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Timed out waiting (exit 4). */
    public static LakehouseException timedOut(String message) {
        return new LakehouseException(ExitCode.TIMED_OUT, message);
    }
}
