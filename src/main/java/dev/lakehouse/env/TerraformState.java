package dev.lakehouse.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.cli.LakehouseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads the Terraform output {@code lakehouse} (the contract between terraform/ and the CLI) from a
 * state file: on S3 as named by an env's backend.conf, or a local file.
 */
public final class TerraformState {
    /** The name of the single Terraform output the CLI reads. */
    public static final String OUTPUT = "lakehouse";

    private static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^#\\s]+)\\s*(?:(?:#|//).*)?$");

    private TerraformState() {
    }

    /** Where a state file is: an S3 object (from backend.conf) or a local file. */
    public sealed interface Location permits S3Object, LocalFile {
        String describe();
    }

    public record S3Object(String bucket, String key, String region, String source) implements Location {
        @Override
        public String describe() {
            return "s3://" + bucket + "/" + key;
        }
    }

    public record LocalFile(Path path) implements Location {
        @Override
        public String describe() {
            return path.toString();
        }
    }

    /**
     * Parses an S3 backend config file (the {@code -backend-config=backend.conf} format:
     * {@code name = "value"} lines) into the state object's location.
     */
    public static S3Object parseBackendConfig(Path file, String displayName) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("//")) {
                    continue;
                }
                Matcher m = ASSIGNMENT.matcher(line);
                if (!m.matches()) {
                    throw new ConfigException(displayName + ": line " + lineNo
                            + ": expected name = \"value\" but found: " + trimmed);
                }
                values.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
            }
        } catch (IOException e) {
            throw new ConfigException(displayName + ": cannot read: " + e.getMessage(), e);
        }
        for (String required : new String[] {"bucket", "key", "region"}) {
            if (values.get(required) == null || values.get(required).isBlank()) {
                throw new ConfigException(displayName + ": " + required
                        + " is missing (an S3 backend config needs bucket, key and region)");
            }
        }
        return new S3Object(values.get("bucket"), values.get("key"), values.get("region"), displayName);
    }

    /** Reads a state file's bytes, from S3 through the env's credentials or from disk. */
    public static byte[] read(Location location, AwsClients aws, String envName) {
        String fix = "; apply terraform/ for this env first (make tf-apply env=" + envName
                + "), or set the names under overrides: in environments/" + envName + "/lakehouse.yaml";
        if (location instanceof LocalFile file) {
            try {
                return Files.readAllBytes(file.path());
            } catch (java.nio.file.NoSuchFileException e) {
                throw LakehouseException.failed("Cannot read the Terraform state of env " + envName + ": "
                        + file.path() + " does not exist" + fix);
            } catch (IOException e) {
                throw LakehouseException.failed("Cannot read the Terraform state " + file.path() + ": " + e.getMessage(), e);
            }
        }
        S3Object object = (S3Object) location;
        try {
            return aws.s3(object.region()).getObjectAsBytes(r -> r.bucket(object.bucket()).key(object.key())).asByteArray();
        } catch (NoSuchKeyException e) {
            throw LakehouseException.failed("Cannot read the Terraform state of env " + envName + ": "
                    + object.describe() + " (from " + object.source() + ") does not exist" + fix, e);
        } catch (NoSuchBucketException e) {
            throw LakehouseException.failed("Cannot read the Terraform state of env " + envName + ": bucket "
                    + object.bucket() + " (from " + object.source() + ") does not exist in " + object.region()
                    + "; create it with make tf-bootstrap env=" + envName + ", or fix " + object.source(), e);
        }
    }

    /**
     * The value of output {@code lakehouse} in a Terraform state document (format version 4), as
     * a mapping of keys to values (strings, or nested mappings such as DMS task names to ARNs).
     */
    public static Map<String, Object> lakehouseOutput(byte[] stateJson, String where, String envName) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(stateJson);
        } catch (IOException e) {
            throw new ConfigException("Terraform state " + where + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        JsonNode output = root == null ? null : root.path("outputs").path(OUTPUT).get("value");
        if (output == null || output.isNull()) {
            throw new ConfigException("Terraform state " + where + " has no output '" + OUTPUT
                    + "': apply terraform/ for this env (make tf-apply env=" + envName + ")");
        }
        if (!output.isObject()) {
            throw new ConfigException("Terraform state " + where + ": output '" + OUTPUT + "' is not an object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        output.fields().forEachRemaining(e -> values.put(e.getKey(), plain(e.getValue())));
        return values;
    }

    private static Object plain(JsonNode v) {
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (v.isNull()) {
            return null;
        }
        return v.asText();
    }
}
