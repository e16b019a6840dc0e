package dev.lakehouse.env;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything resolved for one {@code --env}: from its lakehouse.yaml, the Terraform output
 * {@code lakehouse}, flags and defaults. The only configuration object; nothing else reads YAML,
 * environment variables or Terraform state. {@link #settings()} says where each value came from.
 *
 * @param name               the folder name under environments/
 * @param kind               local (no cloud) or aws
 * @param home               the directory holding environments/; local paths are relative to it
 * @param directory          environments/NAME
 * @param region             AWS region (aws envs)
 * @param profile            AWS profile, or null for the SDK default credential chain
 * @param accountId          the AWS account commands may change (aws envs; the account guard)
 * @param namespace          the default Iceberg namespace (the Glue database on AWS)
 * @param warehouse          Iceberg warehouse: an absolute path (local) or s3:// location
 * @param rawZone            where DMS output lands: an absolute path (local) or s3:// location
 * @param catalogDb          the SQLite file of the local Iceberg catalog (local envs)
 * @param rawDatabase        Glue database for raw-zone tables (aws envs)
 * @param athenaWorkgroup    Athena workgroup (aws envs)
 * @param athenaResultLocation s3:// location of Athena results (aws envs)
 * @param athenaPricePerTb   USD per TB scanned, for the cost Athena queries print (aws envs)
 * @param dmsTasks           DMS replication task name → ARN
 * @param dmsReplications    DMS Serverless replication config name → ARN
 * @param endpoints          AWS endpoint overrides by SDK service id (AWS_ENDPOINT_URL[_SERVICE])
 * @param terraformState     where the Terraform state is, or null when the env has none
 * @param settings           every resolved setting with its source
 */
public record Environment(
        String name,
        Kind kind,
        Path home,
        Path directory,
        String region,
        String profile,
        String accountId,
        String namespace,
        String warehouse,
        String rawZone,
        Path catalogDb,
        String rawDatabase,
        String athenaWorkgroup,
        String athenaResultLocation,
        double athenaPricePerTb,
        Map<String, String> dmsTasks,
        Map<String, String> dmsReplications,
        Map<String, URI> endpoints,
        TerraformState.Location terraformState,
        List<Setting> settings) {

    public enum Kind {
        local, aws
    }

    public Environment {
        dmsTasks = Collections.unmodifiableMap(new LinkedHashMap<>(dmsTasks));
        dmsReplications = Collections.unmodifiableMap(new LinkedHashMap<>(dmsReplications));
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        settings = List.copyOf(settings);
    }

    public boolean isLocal() {
        return kind == Kind.local;
    }

    /** The endpoint override for an SDK service id (e.g. "S3", "GLUE"), or null for AWS's own. */
    public URI endpoint(String serviceId) {
        URI specific = endpoints.get(serviceId);
        return specific != null ? specific : endpoints.get("");
    }

    /** How messages name the env file, relative to the config home. */
    public String file() {
        return home.relativize(directory.resolve(EnvironmentLoader.ENV_FILE)).toString();
    }
}
