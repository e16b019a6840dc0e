package dev.lakehouse.dms;

import dev.lakehouse.cli.DurationOption;
import picocli.CommandLine.Option;

/** Options shared by the dms commands that wait. */
final class DmsOptions {
    private DmsOptions() {
    }

    /** The first poll interval while waiting; hidden: tests make it short so they run fast. */
    static final class Polling {
        @Option(names = "--poll-interval", hidden = true, paramLabel = "DURATION", defaultValue = "5s",
                description = "First interval between two polls while waiting (it grows to six times this).")
        String pollInterval;

        ReplicationWaiter.Polling with(String timeout) {
            return new ReplicationWaiter.Polling(DurationOption.positive(timeout, "--timeout"),
                    DurationOption.positive(pollInterval, "--poll-interval"));
        }
    }
}
