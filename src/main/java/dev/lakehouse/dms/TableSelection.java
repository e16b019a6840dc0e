package dev.lakehouse.dms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which source tables a DMS task replicates, from the selection rules of its table mappings:
 * {@code include} and {@code explicit} rules select, {@code exclude} rules win over them. {@code %}
 * matches any run of characters, as in DMS. Names are compared ignoring case. Transformation rules
 * (renames) are not applied.
 */
public final class TableSelection {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Rule(Pattern schema, Pattern table, String action) {
        boolean matches(String s, String t) {
            return schema.matcher(s.toLowerCase(Locale.ROOT)).matches() && table.matcher(t.toLowerCase(Locale.ROOT)).matches();
        }
    }

    private final List<Rule> rules;

    private TableSelection(List<Rule> rules) {
        this.rules = rules;
    }

    /** The selection rules of a table-mappings document, or null when it is missing or unreadable. */
    public static TableSelection parse(String tableMappings) {
        if (tableMappings == null || tableMappings.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(tableMappings);
        } catch (java.io.IOException e) {
            return null;
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode rule : root.path("rules")) {
            if (!"selection".equals(rule.path("rule-type").asText())) {
                continue;
            }
            JsonNode locator = rule.path("object-locator");
            rules.add(new Rule(pattern(locator.path("schema-name").asText("%")), pattern(locator.path("table-name").asText("%")),
                    rule.path("rule-action").asText("include")));
        }
        return new TableSelection(rules);
    }

    private static Pattern pattern(String dmsPattern) {
        List<String> parts = new ArrayList<>();
        for (String part : dmsPattern.toLowerCase(Locale.ROOT).split("%", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    /** Whether the task replicates {@code schema.table}. */
    public boolean includes(String schema, String table) {
        boolean included = false;
        for (Rule r : rules) {
            if (r.matches(schema, table)) {
                if (r.action().equals("exclude")) {
                    return false;
                }
                included = true;
            }
        }
        return included;
    }
}
