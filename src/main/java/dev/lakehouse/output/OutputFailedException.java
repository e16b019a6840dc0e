package dev.lakehouse.output;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Stdout could not be written: its reader went away (a pipe closed early) or the device refused
 * (e.g. a full disk). Thrown mid-output so the command stops making what nobody can read.
 */
public final class OutputFailedException extends RuntimeException {
    private final transient IOException failure;

    private OutputFailedException(IOException failure) {
        super("cannot write to stdout" + (failure == null || failure.getMessage() == null ? "" : ": " + failure.getMessage()),
                failure);
        this.failure = failure;
    }

    /** The failure of {@code out} (which has reported an error); its cause when it is the process's stdout. */
    public static OutputFailedException of(PrintWriter out) {
        return new OutputFailedException(out instanceof StdoutWriter s ? s.failure() : null);
    }

    /** The reader closed its end (`| head`): nothing is wrong, the rest is just not wanted. */
    public boolean readerGone() {
        return StdoutWriter.readerGone(failure);
    }
}
