package dev.lakehouse.output;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of long work on stderr. On a terminal one line is redrawn (at most 5 times a second);
 * otherwise a line is printed every 10 seconds, so CI logs show the job is alive without flooding.
 * Silent with --quiet.
 */
public final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final boolean enabled;
    private final boolean terminal;
    private final String label;
    private final String unit;
    private long total;
    private long done;
    private long lastPrint;
    private boolean printed;

    public Progress(Console console, String label, long total, String unit) {
        this.err = console.writer();
        this.enabled = !console.quiet();
        this.terminal = console.terminal();
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.lastPrint = System.nanoTime();
    }

    /** Progress that prints nothing (for services called without a console). */
    public static Progress none() {
        return new Progress(new Console(new PrintWriter(java.io.Writer.nullWriter()), true, false, false), "", 0, "");
    }

    public synchronized void total(long total) {
        this.total = total;
    }

    public synchronized void advance(long n) {
        done += n;
        long now = System.nanoTime();
        long interval = terminal ? 200_000_000L : 10_000_000_000L;
        if (enabled && now - lastPrint >= interval) {
            lastPrint = now;
            print(false);
        }
    }

    private void print(boolean last) {
        String pct = total > 0 ? String.format(Locale.ROOT, " (%d%%)", Math.min(100, done * 100 / total)) : "";
        String line = label + ": " + done + (total > 0 ? "/" + total : "") + " " + unit + pct;
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
        printed = true;
    }

    @Override
    public synchronized void close() {
        if (enabled && printed && terminal) {
            print(true);
        }
    }
}
