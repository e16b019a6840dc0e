package dev.lakehouse.cli;

/** The exit codes a script can branch on; documented in docs/exit-codes.md. */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0),
    /** The operation failed (AWS error, bad file, refused by the account guard...). */
    FAILED(1),
    /** The command line or the configuration was wrong; nothing was attempted. */
    USAGE(2),
    /** A check ran and did not hold (e.g. {@code dms lag --max 60s} above the threshold). */
    CHECK_FAILED(3),
    /** Gave up waiting (e.g. {@code --wait --timeout 30m}). */
    TIMED_OUT(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
