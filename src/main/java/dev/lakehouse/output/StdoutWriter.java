package dev.lakehouse.output;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The process's stdout, keeping the cause of a failed write. A PrintWriter (like System.out) keeps
 * only "a write failed", and Java ignores SIGPIPE: a command whose reader went away
 * ({@code lakehouse query ... | head}) went on making rows nobody read. {@link Output} stops at the
 * first failed flush; this tells a closed pipe (a quiet stop) from, say, a full disk (an error).
 */
public final class StdoutWriter extends PrintWriter {
    private final FailureRecorder sink;

    /**
     * The process's stdout, in UTF-8 whatever the locale: JSON must be UTF-8, and with LANG=C (cron,
     * CI containers) Java 17's default charset is ASCII, which wrote every other character as '?'.
     */
    public static StdoutWriter open() {
        return new StdoutWriter(new FileOutputStream(FileDescriptor.out));
    }

    public StdoutWriter(OutputStream stream) {
        this(new FailureRecorder(stream));
    }

    private StdoutWriter(FailureRecorder sink) {
        super(new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8)), false);
        this.sink = sink;
    }

    /** The first write error, or null. */
    public IOException failure() {
        return sink.failure;
    }

    /** True when a write failed because the reading end was closed (EPIPE), not for another reason. */
    public static boolean readerGone(IOException failure) {
        // Linux and macOS: "Broken pipe"; Windows: "The pipe is being closed" / "The pipe has been ended"
        return failure != null && failure.getMessage() != null
                && failure.getMessage().toLowerCase(Locale.ROOT).contains("pipe");
    }

    private static final class FailureRecorder extends FilterOutputStream {
        volatile IOException failure;

        FailureRecorder(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        private IOException recorded(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}
