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
     * starting or running). {@code auto} resolves to start or resume; full-load-only tasks cannot
     * resume (DMS cannot resume a partial full load), so auto refuses to guess between a no-op and a
     * reload.
     */
    public StartType resolve(ReplicationState state) {
        if (this == auto) {
            if (state.active()) {
                return null;
            }
            if (state.neverRun()) {
                return start;
            }
            if (!state.hasCdc()) {
                throw LakehouseException.usage("Cannot pick a start type for " + state.target().label() + ": it is a"
                        + " full-load task that has run before (" + state.describe() + "), and DMS cannot resume a full"
                        + " load; pass --type reload to load every table again (needs --yes)");
            }
            return resume;
        }
        if (state.active()) {
            throw LakehouseException.failed("Cannot " + apiValue + " " + state.target().label() + ": it is "
                    + state.status() + "; stop it first (lakehouse dms stop " + state.target().name() + " --wait)");
        }
        if (this == resume && !state.hasCdc()) {
            throw LakehouseException.usage("Cannot resume " + state.target().label() + ": it is a full-load task and DMS"
                    + " cannot resume a full load; use --type reload (or start, if it never ran)");
        }
        return this;
    }
}
