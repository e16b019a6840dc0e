package dev.lakehouse.dms;

import dev.lakehouse.cli.LakehouseException;

/** {@code dms start --type}: what to ask DMS for (StartReplicationTaskType / StartReplicationType). */
public enum StartType {
    /** start-replication for a task that never ran, resume-processing for one that did. */
    auto(null),
    /** Start from the beginning: a full load (if the task has one), then CDC from now. */
    start("start-replication"),
    /** Continue from where the task stopped. */
    resume("resume-processing"),
    /** Load every table again (destructive on the target), then CDC. */
    reload("reload-target");

    private final String apiValue;

    StartType(String apiValue) {
        this.apiValue = apiValue;
    }

    /** The value DMS's API takes. */
    public String apiValue() {
        return apiValue;
    }

    /**
     * What to ask DMS for a task in this state, or null when there is nothing to do (it is already
     * starting or running). {@code auto} resolves to start or resume. DMS takes only start-replication
     * for a task's first run (any other type "will result in data errors", StartReplicationTaskType), so
     * resume and reload of a task that never ran are refused. A classic full-load task resumes by loading
     * the tables its full load had not finished; one whose full load finished has nothing to resume, so
     * auto refuses to guess between a no-op and a reload. DMS Serverless cannot resume a full-load
     * replication (StartReplicationType).
     */
    public StartType resolve(ReplicationState state) {
        boolean serverless = state.target().kind() == DmsTarget.Kind.serverless;
        if (this == auto) {
            if (state.active()) {
                return null;
            }
            if (state.neverRun()) {
                return start;
            }
            if (!state.hasCdc() && (serverless || state.fullLoadDone())) {
                throw LakehouseException.usage("Cannot pick a start type for " + state.target().label() + ": it is a"
                        + " full-load " + (serverless ? "replication" : "task") + " that has run before ("
                        + state.describe() + ")" + (serverless ? ", and DMS Serverless cannot resume a full load"
                        : " and its full load finished, so there is nothing to resume")
                        + "; pass --type reload to load every table again (needs --yes)");
            }
            return resume;
        }
        if (state.active()) {
            throw LakehouseException.failed("Cannot " + apiValue + " " + state.target().label() + ": it is "
                    + state.status() + "; stop it first (lakehouse dms stop " + state.target().name() + " --wait)");
        }
        if (this != start && state.neverRun()) {
            throw LakehouseException.usage("Cannot " + apiValue + " " + state.target().label() + ": it never ran, and DMS"
                    + " takes only start-replication for a first run (another start type gives data errors); use"
                    + " --type start (or auto)");
        }
        if (this == resume && !state.hasCdc() && serverless) {
            throw LakehouseException.usage("Cannot resume " + state.target().label() + ": it is a full-load replication"
                    + " and DMS Serverless cannot resume a full load; use --type reload");
        }
        return this;
    }
}
