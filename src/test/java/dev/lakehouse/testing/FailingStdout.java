package dev.lakehouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A stdout that takes {@code limit} bytes, then fails every write as the OS does: "Broken pipe"
 * once the reader closed its end, "No space left on device" on a full disk.
 */
public final class FailingStdout extends OutputStream {
    public static final String BROKEN_PIPE = "Broken pipe";
    public static final String DISK_FULL = "No space left on device";

    private final ByteArrayOutputStream accepted = new ByteArrayOutputStream();
    private final int limit;
    private final String failure;

    public FailingStdout(int limit, String failure) {
        this.limit = limit;
        this.failure = failure;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (accepted.size() + len > limit) {
            throw new IOException(failure);
        }
        accepted.write(b, off, len);
    }

    /** What was written before the failure. */
    public String written() {
        return accepted.toString(StandardCharsets.UTF_8);
    }
}
