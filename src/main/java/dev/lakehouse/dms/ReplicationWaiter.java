package dev.lakehouse.dms;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.Console;
import dev.lakehouse.output.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Waits until DMS tasks or replications reach a goal, polling with backoff and printing each
 * change of state on stderr. What the AWS CLI's waiters cannot do: a full load that finishes
 * (a full-load task that stops with FULL_LOAD_ONLY_FINISHED has succeeded), Serverless
 * replications, and the task's own failure message when it fails.
 */
public final class ReplicationWaiter {
    /** How long and how often: the interval grows by half each poll, up to six times the first. */
    public record Polling(Duration timeout, Duration interval) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

        Duration maxInterval() {
            return interval.multipliedBy(6);
        }
    }

    /** The pauses of one wait, from its start: each half again as long as the last, none past the timeout. */
    static final class Pauses {
        private final long deadline;
        private final Duration longest;
        private Duration next;

        Pauses(Polling polling) {
            this.deadline = System.nanoTime() + polling.timeout().toNanos();
            this.longest = polling.maxInterval();
            this.next = polling.interval();
        }

        /** Sleeps until the next poll; false, without sleeping, once the timeout has passed. */
        boolean sleep() {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(next.toNanos(), left) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LakehouseException.failed("Interrupted while waiting for DMS");
            }
            Duration grown = Duration.ofNanos((long) (next.toNanos() * 1.5));
            next = grown.compareTo(longest) <= 0 ? grown : longest;
            return true;
        }
    }

    /** Whether a state reached the goal, or why it never will. */
    public record Verdict(boolean done, String failure) {
        static final Verdict PENDING = new Verdict(false, null);
        static final Verdict DONE = new Verdict(true, null);

        static Verdict failed(String why) {
            return new Verdict(false, why);
        }
    }

    /** A goal for one task; may keep what it has seen since the wait began. */
    public interface Goal {
        /** What is awaited, for messages: "running", "full load finished". */
        String description();

        Verdict check(ReplicationState state);
    }

    private final Replications replications;
    private final Console console;

    public ReplicationWaiter(Replications replications, Console console) {
        this.replications = replications;
        this.console = console;
    }

    /**
     * Polls until every target reached its goal, and returns their last states. Throws exit 1 with the
     * task's failure message when one fails, exit 4 when the timeout passes first.
     *
     * @param goals   each target's goal and the state it was last seen in (e.g. the answer to the start call)
     */
    public List<ReplicationState> await(Map<ReplicationState, Goal> goals, Polling polling) {
        Pauses pauses = new Pauses(polling);
        Map<DmsTarget, Goal> pending = new LinkedHashMap<>();
        Map<DmsTarget, ReplicationState> last = new LinkedHashMap<>();
        Map<DmsTarget, String> printed = new HashMap<>();
        goals.forEach((state, goal) -> {
            pending.put(state.target(), goal);
            last.put(state.target(), state);
            printed.put(state.target(), state.describe());
            console.info(state.target().name() + ": waiting until " + goal.description() + " (at most "
                    + Durations.format(polling.timeout()) + ")");
            settle(state, goal, pending);
        });
        while (!pending.isEmpty()) {
            if (!pauses.sleep()) {
                throw timedOut(pending, last, polling.timeout());
            }
            List<ReplicationState> states;
            try {
                states = replications.describe(new ArrayList<>(pending.keySet()));
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                if (!worthAnotherPoll(e)) {
                    throw e;
                }
                // throttled past the SDK's own retries, or a network blip: the task did not fail; poll
                // again until --timeout instead of reporting exit 1 ("the task failed")
                console.debug("  could not read the state (" + e.getMessage() + "); polling again");
                continue;
            }
            for (ReplicationState state : states) {
                DmsTarget t = state.target();
                last.put(t, state);
                String line = state.describe();
                if (!Objects.equals(line, printed.get(t))) {
                    console.info(t.name() + ": " + line);
                    printed.put(t, line);
                }
                settle(state, pending.get(t), pending);
            }
        }
        List<ReplicationState> result = new ArrayList<>();
        goals.keySet().forEach(s -> result.add(last.get(s.target())));
        return result;
    }

    /** Throttling, a DMS server error, or no answer at all: worth another poll. */
    static boolean worthAnotherPoll(software.amazon.awssdk.core.exception.SdkException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase) {
            return ase.isThrottlingException() || ase.statusCode() >= 500;
        }
        // a network error, not a client-side mistake such as missing credentials (those fail at once)
        return e instanceof software.amazon.awssdk.core.exception.SdkClientException && e.getCause() instanceof java.io.IOException;
    }

    private static void settle(ReplicationState state, Goal goal, Map<DmsTarget, Goal> pending) {
        if (goal == null) {
            return;
        }
        Verdict v = goal.check(state);
        if (v.failure() != null) {
            throw LakehouseException.failed(v.failure());
        }
        if (v.done()) {
            pending.remove(state.target());
        }
    }

    private static LakehouseException timedOut(Map<DmsTarget, Goal> pending, Map<DmsTarget, ReplicationState> last,
                                               Duration timeout) {
        List<String> parts = new ArrayList<>();
        pending.forEach((t, goal) -> parts.add(t.label() + " to be " + goal.description() + " (it is "
                + last.get(t).describe() + ")"));
        return LakehouseException.timedOut("Timed out after " + Durations.format(timeout) + " waiting for "
                + String.join(", ", parts) + "; it keeps going: check again with 'lakehouse dms status', or wait longer"
                + " with --timeout");
    }

    /**
     * The goal of a start: a CDC-only task runs; a full-load task finishes its full load (and stops
     * with FULL_LOAD_ONLY_FINISHED); a full-load-and-cdc task finishes its full load and runs on with
     * CDC. Stops and failures that happened before this start (the state before it) are not taken
     * for the outcome of this one.
     */
    public static Goal started(StartType type, ReplicationState before) {
        return new Goal() {
            boolean seenActive;

            @Override
            public String description() {
                if (!before.hasFullLoad()) {
                    return "running";
                }
                return before.hasCdc() ? "running with its full load finished" : "finished with its full load";
            }

            @Override
            public Verdict check(ReplicationState now) {
                if (now.active()) {
                    seenActive = true;
                }
                boolean fresh = seenActive || !Objects.equals(now.stoppedAt(), before.stoppedAt())
                        || !Objects.equals(now.status(), before.status());
                if (now.failed() && fresh) {
                    return Verdict.failed(now.target().label() + " failed: "
                            + (now.lastFailure() != null ? now.lastFailure() : "DMS gave no failure message")
                            + (now.stopReason() != null ? " (" + now.stopReason() + ")" : ""));
                }
                if (now.stoppedAfterFullLoad() && fresh) {
                    return Verdict.DONE;
                }
                if ("stopped".equals(now.status()) && fresh) {
                    return Verdict.failed(now.target().label() + " stopped before it was " + description() + ": "
                            + (now.stopReason() != null ? now.stopReason() : "no stop reason")
                            + (now.lastFailure() != null ? ": " + now.lastFailure() : ""));
                }
                if (!now.running()) {
                    return Verdict.PENDING;
                }
                if (!now.hasFullLoad()) {
                    return Verdict.DONE;
                }
                if (!now.hasCdc()) {
                    return Verdict.PENDING; // a full-load task is done when it stops
                }
                return fullLoadFinished(now) ? Verdict.DONE : Verdict.PENDING;
            }

            private boolean fullLoadFinished(ReplicationState now) {
                if (now.fullLoadFinishedAt() == null) {
                    return false;
                }
                return type == StartType.resume || before.fullLoadFinishedAt() == null
                        || now.fullLoadFinishedAt().isAfter(before.fullLoadFinishedAt());
            }
        };
    }

    /** The goal of a stop: not running any more (stopped, or failed on the way). */
    public static Goal stopped() {
        return new Goal() {
            @Override
            public String description() {
                return "stopped";
            }

            @Override
            public Verdict check(ReplicationState now) {
                return now.idle() ? Verdict.DONE : Verdict.PENDING;
            }
        };
    }
}
