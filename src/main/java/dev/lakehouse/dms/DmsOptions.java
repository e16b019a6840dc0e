package dev.lakehouse.dms;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by the dms commands that wait, and checks of option values as usage errors. */
final class DmsOptions {
    private DmsOptions() {
    }

    /** The first poll interval while waiting; hidden: tests make it short so they run fast. */
    static final class Polling {
        @Option(names = "--poll-interval", hidden = true, paramLabel = "DURATION", defaultValue = "5s",
                description = "First interval between two polls while waiting (it grows to six times this).")
        String pollInterval;

        ReplicationWaiter.Polling with(String timeout) {
            return new ReplicationWaiter.Polling(duration(timeout, "--timeout"), duration(pollInterval, "--poll-interval"));
        }
    }

    static Duration duration(String text, String option) {
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + text + "' must be more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw LakehouseException.usage(option + ": " + e.getMessage());
        }
    }
}
