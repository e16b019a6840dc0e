package dev.lakehouse.dms;

import dev.lakehouse.cli.LakehouseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.databasemigration.model.Filter;
import software.amazon.awssdk.services.databasemigration.model.InvalidResourceStateException;
import software.amazon.awssdk.services.databasemigration.model.ReloadOptionValue;
import software.amazon.awssdk.services.databasemigration.model.Replication;
import software.amazon.awssdk.services.databasemigration.model.ReplicationConfig;
import software.amazon.awssdk.services.databasemigration.model.ReplicationInstance;
import software.amazon.awssdk.services.databasemigration.model.ReplicationTask;
import software.amazon.awssdk.services.databasemigration.model.ResourceNotFoundException;
import software.amazon.awssdk.services.databasemigration.model.StartReplicationTaskTypeValue;
import software.amazon.awssdk.services.databasemigration.model.TableStatistics;
import software.amazon.awssdk.services.databasemigration.model.TableToReload;

/**
 * DMS replications of an env, the same for classic tasks and DMS Serverless: describe, start,
 * stop, table statistics, reload. Pages with the SDK's paginators; throttling is retried by the
 * SDK; a refusal because of the task's state becomes one line naming the task.
 */
public final class Replications {
    private final DatabaseMigrationClient dms;
    private final Map<String, String> instanceIdentifiers = new HashMap<>();

    public Replications(DatabaseMigrationClient dms) {
        this.dms = dms;
    }

    /** The current state of each target, in the order given; fails naming any that DMS does not know. */
    public List<ReplicationState> describe(List<DmsTarget> targets) {
        Map<String, ReplicationState> byArn = new HashMap<>();
        List<DmsTarget> tasks = targets.stream().filter(t -> t.kind() == DmsTarget.Kind.task).toList();
        List<DmsTarget> serverless = targets.stream().filter(t -> t.kind() == DmsTarget.Kind.serverless).toList();
        if (!tasks.isEmpty()) {
            Map<String, DmsTarget> wanted = index(tasks);
            for (ReplicationTask t : tasks(wanted.keySet())) {
                DmsTarget target = wanted.get(t.replicationTaskArn());
                if (target != null) {
                    byArn.put(t.replicationTaskArn(), ReplicationState.of(target, t));
                }
            }
        }
        if (!serverless.isEmpty()) {
            Map<String, DmsTarget> wanted = index(serverless);
            Map<String, ReplicationConfig> configs = new HashMap<>();
            for (ReplicationConfig c : configs(wanted.keySet())) {
                configs.put(c.replicationConfigArn(), c);
            }
            for (Replication r : replications(wanted.keySet())) {
                DmsTarget target = wanted.get(r.replicationConfigArn());
                ReplicationConfig config = configs.get(r.replicationConfigArn());
                if (target != null) {
                    byArn.put(r.replicationConfigArn(), ReplicationState.of(target, r, config == null ? null : config.tableMappings()));
                }
            }
            // DMS has no replication for a config that was never started: describe it from the config.
            configs.forEach((arn, c) -> {
                if (!byArn.containsKey(arn) && wanted.containsKey(arn)) {
                    byArn.put(arn, ReplicationState.neverStarted(wanted.get(arn), c));
                }
            });
        }
        List<ReplicationState> states = new ArrayList<>();
        for (DmsTarget t : targets) {
            ReplicationState s = byArn.get(t.arn());
            if (s == null) {
                throw LakehouseException.failed("Cannot find " + t.label() + ": DMS has no "
                        + (t.kind() == DmsTarget.Kind.task ? "task " : "replication config ") + t.arn()
                        + " in this account and region; was it deleted? (terraform apply recreates it)");
            }
            states.add(s);
        }
        return states;
    }

    public ReplicationState describe(DmsTarget target) {
        return describe(List.of(target)).get(0);
    }

    private static Map<String, DmsTarget> index(List<DmsTarget> targets) {
        Map<String, DmsTarget> m = new LinkedHashMap<>();
        targets.forEach(t -> m.put(t.arn(), t));
        return m;
    }

    private List<ReplicationTask> tasks(java.util.Collection<String> arns) {
        List<ReplicationTask> all = new ArrayList<>();
        try {
            dms.describeReplicationTasksPaginator(r -> r.filters(filter("replication-task-arn", arns)))
                    .forEach(page -> all.addAll(page.replicationTasks()));
        } catch (ResourceNotFoundException none) {
            // DMS answers a filter that matches nothing with ResourceNotFoundFault
        }
        return all;
    }

    private List<ReplicationConfig> configs(java.util.Collection<String> arns) {
        List<ReplicationConfig> all = new ArrayList<>();
        try {
            dms.describeReplicationConfigsPaginator(r -> r.filters(filter("replication-config-arn", arns)))
                    .forEach(page -> all.addAll(page.replicationConfigs()));
        } catch (ResourceNotFoundException none) {
            // nothing matched
        }
        return all;
    }

    private List<Replication> replications(java.util.Collection<String> arns) {
        List<Replication> all = new ArrayList<>();
        try {
            dms.describeReplicationsPaginator(r -> r.filters(filter("replication-config-arn", arns)))
                    .forEach(page -> all.addAll(page.replications()));
        } catch (ResourceNotFoundException none) {
            // nothing matched: no config was started yet
        }
        return all;
    }

    private static Filter filter(String name, java.util.Collection<String> values) {
        return Filter.builder().name(name).values(values).build();
    }

    /** Starts a task or replication; returns the state DMS answers with. */
    public ReplicationState start(ReplicationState current, StartType type) {
        DmsTarget t = current.target();
        return refusals(t, type.apiValue(), () -> {
            if (t.kind() == DmsTarget.Kind.task) {
                ReplicationTask task = dms.startReplicationTask(r -> r.replicationTaskArn(t.arn())
                        .startReplicationTaskType(StartReplicationTaskTypeValue.fromValue(type.apiValue()))).replicationTask();
                return ReplicationState.of(t, task);
            }
            Replication r = dms.startReplication(b -> b.replicationConfigArn(t.arn()).startReplicationType(type.apiValue()))
                    .replication();
            return ReplicationState.of(t, r, current.tableMappings());
        });
    }

    public ReplicationState stop(ReplicationState current) {
        DmsTarget t = current.target();
        return refusals(t, "stop", () -> {
            if (t.kind() == DmsTarget.Kind.task) {
                return ReplicationState.of(t, dms.stopReplicationTask(r -> r.replicationTaskArn(t.arn())).replicationTask());
            }
            return ReplicationState.of(t, dms.stopReplication(r -> r.replicationConfigArn(t.arn())).replication(),
                    current.tableMappings());
        });
    }

    /** Per-table statistics of a task or replication, every page. */
    public List<TableStatistics> tableStatistics(DmsTarget t) {
        return refusals(t, "read the table statistics of", () -> {
            List<TableStatistics> all = new ArrayList<>();
            if (t.kind() == DmsTarget.Kind.task) {
                dms.describeTableStatisticsPaginator(r -> r.replicationTaskArn(t.arn()))
                        .forEach(page -> all.addAll(page.tableStatistics()));
            } else {
                dms.describeReplicationTableStatisticsPaginator(r -> r.replicationConfigArn(t.arn()))
                        .forEach(page -> all.addAll(page.replicationTableStatistics()));
            }
            return all;
        });
    }

    /** Reloads tables ({@code schema.table}) of a running task or replication. */
    public void reload(DmsTarget t, List<TableRef> tables, boolean validateOnly) {
        List<TableToReload> list = tables.stream()
                .map(x -> TableToReload.builder().schemaName(x.schema()).tableName(x.table()).build()).toList();
        ReloadOptionValue option = validateOnly ? ReloadOptionValue.VALIDATE_ONLY : ReloadOptionValue.DATA_RELOAD;
        refusals(t, "reload tables of", () -> {
            if (t.kind() == DmsTarget.Kind.task) {
                dms.reloadTables(r -> r.replicationTaskArn(t.arn()).tablesToReload(list).reloadOption(option));
            } else {
                dms.reloadReplicationTables(r -> r.replicationConfigArn(t.arn()).tablesToReload(list).reloadOption(option));
            }
            return null;
        });
    }

    /** The identifier of a replication instance (its CloudWatch dimension), which its ARN does not contain. */
    public String instanceIdentifier(String instanceArn) {
        return instanceIdentifiers.computeIfAbsent(instanceArn, arn -> {
            List<ReplicationInstance> found = new ArrayList<>();
            try {
                dms.describeReplicationInstancesPaginator(r -> r.filters(filter("replication-instance-arn", List.of(arn))))
                        .forEach(page -> found.addAll(page.replicationInstances()));
            } catch (ResourceNotFoundException none) {
                // handled below
            }
            return found.stream().filter(i -> arn.equals(i.replicationInstanceArn())).findFirst()
                    .map(ReplicationInstance::replicationInstanceIdentifier)
                    .orElseThrow(() -> LakehouseException.failed("Cannot find DMS replication instance " + arn));
        });
    }

    /** A source table as DMS names it. */
    public record TableRef(String schema, String table) {
        public static TableRef parse(String text) {
            int dot = text.indexOf('.');
            if (dot <= 0 || dot == text.length() - 1 || text.indexOf('.', dot + 1) >= 0) {
                throw LakehouseException.usage("'" + text + "' is not a source table: name it SCHEMA.TABLE as DMS does"
                        + " (e.g. public.orders)");
            }
            return new TableRef(text.substring(0, dot), text.substring(dot + 1));
        }

        @Override
        public String toString() {
            return schema + "." + table;
        }
    }

    /** Turns DMS's refusals into one line that names the task and what was attempted. */
    static <T> T refusals(DmsTarget t, String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (InvalidResourceStateException e) {
            throw LakehouseException.failed("Cannot " + action + " " + t.label() + ": " + message(e)
                    + " (InvalidResourceStateFault)", e);
        } catch (ResourceNotFoundException e) {
            throw LakehouseException.failed("Cannot " + action + " " + t.label() + ": " + message(e) + " (" + t.arn() + ")", e);
        }
    }

    static String message(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
