package dev.lakehouse.dms;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.Environment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DMS replication that an env names: a classic replication task ({@code dms_tasks} in the
 * Terraform output) or a DMS Serverless replication config ({@code dms_replications}).
 *
 * @param name the env's name for it (the key in the Terraform output), or the ARN when given as one
 * @param arn  the task ARN or the replication config ARN
 * @param kind which of the two APIs drives it
 */
public record DmsTarget(String name, String arn, Kind kind) {
    public enum Kind {
        /** A classic replication task on a replication instance. */
        task,
        /** A DMS Serverless replication (a replication config). */
        serverless
    }

    /** The last part of the ARN: DMS's resource id (the task's CloudWatch dimension), not its name. */
    public String resourceId() {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /** How messages name it: {@code task orders} or {@code replication main}. */
    public String label() {
        return (kind == Kind.task ? "DMS task " : "DMS Serverless replication ") + name;
    }

    /**
     * The targets a command line names: env names (keys of dms_tasks / dms_replications) or ARNs;
     * no name means every task and replication of the env.
     */
    public static List<DmsTarget> resolve(Environment env, List<String> names) {
        if (env.isLocal()) {
            throw LakehouseException.usage("env " + env.name() + " is local and has no DMS: a local replicator does not"
                    + " exist yet ('lakehouse sample dms' writes DMS-format files into its raw zone instead); pass"
                    + " --env with an AWS env");
        }
        Map<String, DmsTarget> known = new LinkedHashMap<>();
        env.dmsTasks().forEach((name, arn) -> known.put(name, new DmsTarget(name, arn, Kind.task)));
        env.dmsReplications().forEach((name, arn) -> {
            // one name for two replications would hide the Serverless one from every command
            if (known.containsKey(name)) {
                throw LakehouseException.failed("env " + env.name() + " names '" + name + "' both in dms_tasks and in"
                        + " dms_replications (" + env.file() + " or its Terraform output): give them different names");
            }
            known.put(name, new DmsTarget(name, arn, Kind.serverless));
        });
        if (names == null || names.isEmpty()) {
            if (known.isEmpty()) {
                throw LakehouseException.usage("env " + env.name() + " names no DMS tasks or replications: dms_tasks and"
                        + " dms_replications of its Terraform output are empty (apply terraform/ with DMS enabled, or"
                        + " set them under overrides: in " + env.file() + ")");
            }
            return List.copyOf(known.values());
        }
        Set<DmsTarget> targets = new LinkedHashSet<>();
        for (String name : names) {
            if (name.startsWith("arn:")) {
                targets.add(fromArn(name, known));
                continue;
            }
            DmsTarget t = known.get(name);
            if (t == null) {
                throw LakehouseException.usage("Unknown DMS task '" + name + "' in env " + env.name()
                        + (known.isEmpty() ? ": the env names none (dms_tasks and dms_replications are empty)"
                        : " (it has: " + String.join(", ", known.keySet()) + "); an ARN works too"));
            }
            targets.add(t);
        }
        return new ArrayList<>(targets);
    }

    private static DmsTarget fromArn(String arn, Map<String, DmsTarget> known) {
        for (DmsTarget t : known.values()) {
            if (t.arn().equals(arn)) {
                return t;
            }
        }
        String[] parts = arn.split(":");
        if (parts.length >= 7 && parts[2].equals("dms") && parts[5].equals("task")) {
            return new DmsTarget(arn, arn, Kind.task);
        }
        if (parts.length >= 7 && parts[2].equals("dms") && parts[5].equals("replication-config")) {
            return new DmsTarget(arn, arn, Kind.serverless);
        }
        throw LakehouseException.usage("'" + arn + "' is not the ARN of a DMS task (arn:aws:dms:REGION:ACCOUNT:task:ID)"
                + " or of a DMS Serverless replication config (arn:aws:dms:REGION:ACCOUNT:replication-config:ID)");
    }

    /** Exactly one target: the one named, or the env's only one. */
    public static DmsTarget one(Environment env, String name, String command) {
        List<DmsTarget> all = resolve(env, name == null ? List.of() : List.of(name));
        if (all.size() > 1) {
            throw LakehouseException.usage("env " + env.name() + " has " + all.size() + " DMS tasks and replications ("
                    + String.join(", ", all.stream().map(DmsTarget::name).toList()) + "): name one, e.g. 'lakehouse dms "
                    + command + " " + all.get(0).name() + "'");
        }
        return all.get(0);
    }
}
