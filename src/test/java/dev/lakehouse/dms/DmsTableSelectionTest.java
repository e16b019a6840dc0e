package dev.lakehouse.dms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which source tables a task's table mappings select (for the freshness of the tables it feeds). */
class DmsTableSelectionTest {
    static String rule(String id, String schema, String table, String action) {
        return "{\"rule-type\":\"selection\",\"rule-id\":\"" + id + "\",\"rule-name\":\"" + id + "\",\"object-locator\":"
                + "{\"schema-name\":\"" + schema + "\",\"table-name\":\"" + table + "\"},\"rule-action\":\"" + action + "\"}";
    }

    @Test
    void include_exclude_and_wildcards() {
        TableSelection s = TableSelection.parse("{\"rules\":[" + rule("1", "public", "%", "include") + ","
                + rule("2", "public", "tmp_%", "exclude") + "," + rule("3", "sales", "orders", "explicit") + ","
                + rule("4", "%", "%", "exclude").replace("selection", "transformation") + "]}");
        assertTrue(s.includes("public", "orders"));
        assertTrue(s.includes("PUBLIC", "Orders"), "names compare ignoring case");
        assertTrue(s.includes("sales", "orders"));
        assertFalse(s.includes("sales", "orders_archive"));
        assertFalse(s.includes("audit", "events"));

        TableSelection prefix = TableSelection.parse("{\"rules\":[" + rule("1", "app%", "order%", "include") + "]}");
        assertTrue(prefix.includes("app_eu", "orders"));
        assertFalse(prefix.includes("web", "orders"));
        assertFalse(prefix.includes("app", "customers"));

        TableSelection tmp = TableSelection.parse("{\"rules\":[" + rule("1", "public", "%", "include") + ","
                + rule("2", "public", "tmp_%", "exclude") + "]}");
        assertFalse(tmp.includes("public", "tmp_import"), "exclude wins");
        assertTrue(tmp.includes("public", "orders"));
    }

    @Test
    void missing_or_unreadable_mappings_are_unknown() {
        assertNull(TableSelection.parse(null));
        assertNull(TableSelection.parse(""));
        assertNull(TableSelection.parse("{not json"));
        assertFalse(TableSelection.parse("{}").includes("public", "orders"));
    }
}
