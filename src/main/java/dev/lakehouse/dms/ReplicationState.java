package dev.lakehouse.dms;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.databasemigration.model.Replication;
import software.amazon.awssdk.services.databasemigration.model.ReplicationConfig;
import software.amazon.awssdk.services.databasemigration.model.ReplicationStats;
import software.amazon.awssdk.services.databasemigration.model.ReplicationTask;
import software.amazon.awssdk.services.databasemigration.model.ReplicationTaskStats;

/**
 * What DMS says about a task or a Serverless replication at one moment, the same for both APIs.
 *
 * @param target           which task or replication
 * @param identifier       DMS's identifier (ReplicationTaskIdentifier / ReplicationConfigIdentifier)
 * @param status           DMS's status, lower case ({@code ready}, {@code starting}, {@code running}, {@code stopped},
 *                         {@code failed}...; Serverless has more, e.g. {@code provisioning_capacity})
 * @param migrationType    {@code full-load}, {@code cdc} or {@code full-load-and-cdc}
 * @param progressPercent  full load progress, or null
 * @param stopReason       e.g. {@code Stop Reason FULL_LOAD_ONLY_FINISHED}, or null
 * @param lastFailure      the task's last failure message (Serverless: its failure messages joined), or null
 * @param startedAt        when the task was last started (null: never started)
 * @param stoppedAt        when it last stopped
 * @param instanceArn      the replication instance (classic tasks only)
 * @param tableMappings    the task's table mappings JSON (null when DMS did not return them)
 * @param provisionState   Serverless capacity state (e.g. {@code provisioned}), else null
 * @param capacityUnits    Serverless DMS capacity units provisioned, else null
 */
public record ReplicationState(
        DmsTarget target,
        String identifier,
        String status,
        String migrationType,
        Integer progressPercent,
        Integer tablesLoaded,
        Integer tablesLoading,
        Integer tablesQueued,
        Integer tablesErrored,
        String cdcStartPosition,
        String cdcStopPosition,
        String recoveryCheckpoint,
        String stopReason,
        String lastFailure,
        Instant createdAt,
        Instant startedAt,
        Instant stoppedAt,
        Instant fullLoadStartedAt,
        Instant fullLoadFinishedAt,
        Long elapsedMillis,
        String instanceArn,
        String sourceEndpointArn,
        String targetEndpointArn,
        String tableMappings,
        String provisionState,
        Integer capacityUnits) {

    public static ReplicationState of(DmsTarget target, ReplicationTask t) {
        ReplicationTaskStats s = t.replicationTaskStats();
        Instant started = t.replicationTaskStartDate() != null ? t.replicationTaskStartDate() : s == null ? null : s.startDate();
        return new ReplicationState(target, t.replicationTaskIdentifier(), lower(t.status()), t.migrationTypeAsString(),
                s == null ? null : s.fullLoadProgressPercent(),
                s == null ? null : s.tablesLoaded(), s == null ? null : s.tablesLoading(),
                s == null ? null : s.tablesQueued(), s == null ? null : s.tablesErrored(),
                t.cdcStartPosition(), t.cdcStopPosition(), t.recoveryCheckpoint(), blankToNull(t.stopReason()),
                blankToNull(t.lastFailureMessage()), t.replicationTaskCreationDate(), started,
                s == null ? null : s.stopDate(), s == null ? null : s.fullLoadStartDate(),
                s == null ? null : s.fullLoadFinishDate(), s == null ? null : s.elapsedTimeMillis(),
                t.replicationInstanceArn(), t.sourceEndpointArn(), t.targetEndpointArn(), t.tableMappings(), null, null);
    }

    public static ReplicationState of(DmsTarget target, Replication r, String tableMappings) {
        ReplicationStats s = r.replicationStats();
        List<String> failures = r.hasFailureMessages() ? r.failureMessages() : List.of();
        Instant started = s == null ? null : s.startDate();
        return new ReplicationState(target, r.replicationConfigIdentifier(), lower(r.status()), r.replicationTypeAsString(),
                s == null ? null : s.fullLoadProgressPercent(),
                s == null ? null : s.tablesLoaded(), s == null ? null : s.tablesLoading(),
                s == null ? null : s.tablesQueued(), s == null ? null : s.tablesErrored(),
                r.cdcStartPosition(), r.cdcStopPosition(), r.recoveryCheckpoint(), blankToNull(r.stopReason()),
                failures.isEmpty() ? null : String.join("; ", failures), r.replicationCreateTime(), started,
                r.replicationLastStopTime() != null ? r.replicationLastStopTime() : s == null ? null : s.stopDate(),
                s == null ? null : s.fullLoadStartDate(), s == null ? null : s.fullLoadFinishDate(),
                s == null ? null : s.elapsedTimeMillis(), null, r.sourceEndpointArn(), r.targetEndpointArn(), tableMappings,
                r.provisionData() == null ? null : r.provisionData().provisionState(),
                r.provisionData() == null ? null : r.provisionData().provisionedCapacityUnits());
    }

    /** A replication config that was never started: DMS has no replication for it yet. */
    public static ReplicationState neverStarted(DmsTarget target, ReplicationConfig c) {
        return new ReplicationState(target, c.replicationConfigIdentifier(), "created", c.replicationTypeAsString(),
                null, null, null, null, null, null, null, null, null, null, c.replicationConfigCreateTime(), null, null,
                null, null, null, null, c.sourceEndpointArn(), c.targetEndpointArn(), c.tableMappings(), null, null);
    }

    /** Never started: a start must be {@code start-replication}. */
    public boolean neverRun() {
        return startedAt == null && stoppedAt == null && fullLoadFinishedAt == null;
    }

    public boolean hasFullLoad() {
        return migrationType != null && migrationType.startsWith("full-load");
    }

    public boolean hasCdc() {
        return migrationType != null && migrationType.endsWith("cdc");
    }

    public boolean running() {
        return "running".equals(status);
    }

    public boolean failed() {
        return "failed".equals(status);
    }

    /** Not running and not on its way anywhere: ready, created, stopped or failed. */
    public boolean idle() {
        return status != null && switch (status) {
            case "ready", "created", "stopped", "failed", "deprovisioned" -> true;
            default -> false;
        };
    }

    /** Starting or running: a start would be refused. */
    public boolean active() {
        return !idle() && !"stopping".equals(status) && !"deleting".equals(status) && !"creating".equals(status)
                && !"modifying".equals(status) && !"moving".equals(status) && !"failed-move".equals(status)
                && !"deprovisioning".equals(status) && !"testing".equals(status);
    }

    /** The task stopped because its full load is done, as a full-load task (or one set to stop after it) does. */
    public boolean stoppedAfterFullLoad() {
        return "stopped".equals(status) && stopReason != null
                && (stopReason.contains("FULL_LOAD_ONLY_FINISHED") || stopReason.contains("STOPPED_AFTER_FULL_LOAD")
                || stopReason.contains("STOPPED_AFTER_CACHED_EVENTS"));
    }

    /**
     * The full load of a full-load task is done: it stopped because it finished, or it reached 100%
     * without failing. A task stopped or failed before that has tables a resume would load.
     */
    public boolean fullLoadDone() {
        return stoppedAfterFullLoad() || (!failed() && progressPercent != null && progressPercent >= 100
                && fullLoadFinishedAt != null);
    }

    /** One line for progress messages: {@code running, full load 40% (3 loaded, 2 loading, 0 errored)}. */
    public String describe() {
        StringBuilder b = new StringBuilder(status == null ? "unknown" : status);
        if (hasFullLoad() && progressPercent != null && (active() || stoppedAfterFullLoad())) {
            b.append(", full load ").append(progressPercent).append('%');
            if (tablesLoaded != null) {
                b.append(" (").append(tablesLoaded).append(" tables loaded, ").append(orZero(tablesLoading))
                        .append(" loading, ").append(orZero(tablesErrored)).append(" errored)");
            }
        }
        if (stopReason != null && !active()) {
            b.append(", ").append(stopReason);
        }
        return b.toString();
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
