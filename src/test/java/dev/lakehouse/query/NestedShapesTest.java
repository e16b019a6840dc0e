package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** DuckDB's type text read back into a shape, and the SQL that reads a file's shape as the table's, run on DuckDB. */
class NestedShapesTest {
    @Test
    void parses_the_type_text_duckdb_gives() {
        NestedShapes.DuckType t = NestedShapes.parse(
                "STRUCT(\"a b\" INTEGER, x DECIMAL(10,2), t TIMESTAMP WITH TIME ZONE, l VARCHAR[], m MAP(VARCHAR, STRUCT(\"v\"\"q\" BIGINT)))");
        assertEquals("STRUCT", t.name());
        assertEquals("INTEGER", t.field("a b").name());
        assertEquals("DECIMAL", t.field("X").name());
        assertEquals("TIMESTAMP WITH TIME ZONE", t.field("t").name());
        assertEquals("VARCHAR", t.field("l").element().name());
        assertEquals("BIGINT", t.field("m").value().field("v\"q").name());
        assertNull(t.field("missing"));
        NestedShapes.DuckType words = NestedShapes.parse("STRUCT(\"time\" TIME WITH TIME ZONE, \"with\" INTEGER[][], m MAP(VARCHAR, UUID[]))[]");
        assertEquals("TIME WITH TIME ZONE", words.element().field("time").name());
        assertEquals("INTEGER", words.element().field("with").element().element().name());
        assertEquals("UUID", words.element().field("m").value().element().name());
    }

    @Test
    void reads_a_files_shape_as_the_tables() throws Exception {
        Types.StructType inner = Types.StructType.of(Types.NestedField.optional(2, "y", Types.IntegerType.get()));
        Types.StructType table = Types.StructType.of(Types.NestedField.optional(1, "a", Types.LongType.get()),
                Types.NestedField.optional(3, "t", inner),
                Types.NestedField.optional(4, "l", Types.ListType.ofOptional(5, inner)));
        // the file: a is INTEGER, t and the list's elements have only x (dropped since), c dropped
        String read = "STRUCT(a INTEGER, c VARCHAR, t STRUCT(x INTEGER), l STRUCT(x INTEGER)[])";
        String sql = NestedShapes.reshape("s", table, read);
        try (Connection c = DuckTypes.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CAST(" + sql + " AS VARCHAR) FROM (SELECT CAST({'a': 1, 'c': 'z', 't': {'x': 7},"
                     + " 'l': [{'x': 8}, NULL]} AS " + read + ") AS s UNION ALL SELECT NULL) ORDER BY 1 NULLS LAST")) {
            rs.next();
            assertEquals("{'a': 1, 't': NULL, 'l': [NULL, NULL]}", rs.getString(1));
            rs.next();
            assertNull(rs.getString(1));
        }
    }
}
