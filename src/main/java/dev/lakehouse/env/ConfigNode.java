package dev.lakehouse.env;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node of a YAML configuration file that knows where it is (file and key path), so every error
 * can say "file: key: what is wrong (allowed: ...)". Mapping is explicit, not reflective: unknown
 * keys are refused and messages are ours, and nothing needs reflection in a native image.
 */
public final class ConfigNode {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String file;
    private final String path;
    private final JsonNode node;

    private ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** Reads a YAML file; {@code displayName} is how messages name it (e.g. environments/dev/lakehouse.yaml). */
    public static ConfigNode read(Path file, String displayName) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ConfigException(displayName + ": the file is empty");
            }
            if (!root.isObject()) {
                throw new ConfigException(displayName + ": expected a mapping of keys to values at the top level");
            }
            return new ConfigNode(displayName, "", root);
        } catch (NoSuchFileException e) {
            throw new ConfigException(displayName + ": file not found");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new ConfigException(displayName + ": not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(displayName + ": cannot read: " + e.getMessage(), e);
        }
    }

    public String file() {
        return file;
    }

    /** The dotted key path of this node, e.g. {@code terraform.backend}. */
    public String path() {
        return path;
    }

    /** Whether the key is written at all, even with an empty value. */
    public boolean present(String key) {
        return node.has(key);
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Refuses any key not in {@code allowed}, naming the file, the key and the allowed keys. */
    public void allowOnly(String... allowed) {
        Set<String> known = new TreeSet<>(Arrays.asList(allowed));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw error(key, "unknown key (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** A text value; numbers and booleans are refused so that e.g. an account id keeps its leading zeros. */
    public String string(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw error(key, "expected text" + (v.isNumber() ? " (put the number in quotes)" : "")
                    + " but found " + describe(v));
        }
        String s = v.textValue().trim();
        return s.isEmpty() ? null : s;
    }

    public String requiredString(String key) {
        String s = string(key);
        if (s == null) {
            throw error(key, "required key is missing");
        }
        return s;
    }

    /** A text value that must be one of {@code allowed} (case-insensitive). */
    public String choice(String key, String defaultValue, String... allowed) {
        String s = string(key);
        if (s == null) {
            return defaultValue;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw error(key, "bad value '" + s + "' (allowed: " + String.join(", ", allowed) + ")");
    }

    public Boolean bool(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw error(key, "expected true or false but found " + describe(v));
        }
        return v.booleanValue();
    }

    public Long integer(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw error(key, "expected a whole number but found " + describe(v));
        }
        return v.longValue();
    }

    /** A number (whole or not). */
    public Double number(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw error(key, "expected a number but found " + describe(v));
        }
        return v.doubleValue();
    }

    /** A list of text values; a single text value counts as a list of one. */
    public List<String> stringList(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.textValue().trim());
        }
        if (!v.isArray()) {
            throw error(key, "expected a list but found " + describe(v));
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw error(key, "expected a list of text values but found " + describe(item));
            }
            list.add(item.textValue().trim());
        }
        return List.copyOf(list);
    }

    /** A mapping of text to text (e.g. DMS task names to ARNs). */
    public Map<String, String> stringMap(String key) {
        ConfigNode child = child(key);
        if (child == null) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String k : child.keys()) {
            map.put(k, child.requiredString(k));
        }
        return map;
    }

    /** A nested mapping, or null when absent. */
    public ConfigNode child(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw error(key, "expected a mapping of keys to values but found " + describe(v));
        }
        return new ConfigNode(file, qualified(key), v);
    }

    /** The items of a list of mappings. */
    public List<ConfigNode> children(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(key, "expected a list but found " + describe(v));
        }
        List<ConfigNode> list = new ArrayList<>();
        int i = 0;
        for (JsonNode item : v) {
            if (!item.isObject()) {
                throw error(key + "[" + i + "]", "expected a mapping of keys to values but found " + describe(item));
            }
            list.add(new ConfigNode(file, qualified(key) + "[" + i + "]", item));
            i++;
        }
        return list;
    }

    /** Every key of a mapping node, as nodes (for maps whose keys are names, e.g. tables). */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> map = new LinkedHashMap<>();
        for (String k : keys()) {
            map.put(k, child(k));
        }
        return map;
    }

    /** An error about {@code key} in this node: "file: path.key: message". */
    public ConfigException error(String key, String message) {
        return new ConfigException(file + ": " + qualified(key) + ": " + message);
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonNode v) {
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        if (v.isBoolean()) return "'" + v.asText() + "' (a boolean)";
        if (v.isNumber()) return "'" + v.asText() + "' (a number)";
        return "'" + v.asText() + "'";
    }
}
