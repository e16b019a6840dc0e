package dev.lakehouse.env;

import java.io.Serializable;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What AWS clients of an environment are built from: region, profile (null for the SDK default
 * chain) and endpoint overrides by SDK service id ("" for the global AWS_ENDPOINT_URL).
 * Serializable and convertible to catalog properties, so clients that Iceberg builds itself
 * (Glue catalog, S3FileIO) are configured exactly like ours.
 */
public record AwsSettings(String region, String profile, Map<String, URI> endpoints) implements Serializable {
    private static final String PREFIX = "lakehouse.aws.";

    public AwsSettings {
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    public static AwsSettings of(Environment env) {
        return new AwsSettings(env.region(), env.profile(), env.endpoints());
    }

    /** The endpoint override for an SDK service id (e.g. "S3", "GLUE"), or null for AWS's own. */
    public URI endpoint(String serviceId) {
        URI specific = endpoints.get(serviceId);
        return specific != null ? specific : endpoints.get("");
    }

    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(PREFIX + "region", region);
        if (profile != null) {
            props.put(PREFIX + "profile", profile);
        }
        endpoints.forEach((service, uri) -> props.put(PREFIX + "endpoint." + service, uri.toString()));
        return props;
    }

    public static AwsSettings fromProperties(Map<String, String> props) {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith(PREFIX + "endpoint.")) {
                endpoints.put(k.substring((PREFIX + "endpoint.").length()), URI.create(v));
            }
        });
        String region = props.get(PREFIX + "region");
        if (region == null) {
            throw new IllegalArgumentException("missing " + PREFIX + "region");
        }
        return new AwsSettings(region, props.get(PREFIX + "profile"), endpoints);
    }
}
