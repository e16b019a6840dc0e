package dev.lakehouse.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {
    record Row(String name, Object value) {
    }

    static final List<Row> ROWS = List.of(new Row("plain", 1), new Row("with, comma", "say \"hi\""),
            new Row("multi\nline", null), new Row("decimal", new BigDecimal("12345678901234567890.000000001")));

    static String render(OutputFormat format) {
        StringWriter sw = new StringWriter();
        new Output(format, new PrintWriter(sw)).table(ROWS, Columns.of(Row.class).add("name", Row::name).add("the_value", Row::value));
        return sw.toString();
    }

    @Test
    void csv_quotes_what_needs_quoting() {
        assertEquals("""
                name,the_value
                plain,1
                "with, comma","say ""hi\"""
                "multi
                line",
                decimal,12345678901234567890.000000001
                """, render(OutputFormat.csv));
    }

    @Test
    void json_keeps_types_and_exact_decimals() throws Exception {
        var tree = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(render(OutputFormat.json));
        assertEquals(4, tree.size());
        assertEquals(1, tree.get(0).get("the_value").intValue());
        assertEquals("say \"hi\"", tree.get(1).get("the_value").asText());
        assertEquals(true, tree.get(2).get("the_value").isNull());
        assertEquals("12345678901234567890.000000001", tree.get(3).get("the_value").decimalValue().toPlainString());
    }

    @Test
    void table_aligns_columns_and_shows_null_as_dash() {
        assertEquals("""
                NAME         THE VALUE
                plain        1
                with, comma  say "hi"
                multi line   -
                decimal      12345678901234567890.000000001
                """, render(OutputFormat.table));
    }

    static String stream(OutputFormat format, List<String> columns, Object[]... rows) {
        StringWriter sw = new StringWriter();
        new Output(format, new PrintWriter(sw)).stream(columns, List.of(rows).iterator());
        return sw.toString();
    }

    /** A self-join's a.id, b.id: JSON cannot hold one key twice and lost a value; every format names them alike. */
    @Test
    void result_columns_of_one_name_are_told_apart_in_every_format() throws Exception {
        List<String> columns = List.of("id", "id", "name");
        var json = new ObjectMapper().readTree(stream(OutputFormat.json, columns, new Object[] {1, 2, "x"})).get(0);
        assertEquals(List.of("id", "id_2", "name"), iterable(json.fieldNames()));
        assertEquals(List.of(1, 2), List.of(json.get("id").intValue(), json.get("id_2").intValue()));
        assertEquals("id,id_2,name\n1,2,x\n", stream(OutputFormat.csv, columns, new Object[] {1, 2, "x"}));
        assertEquals(List.of("a", "a_2", "a_3"), Output.distinct(List.of("a", "a_2", "a")));
    }

    /** Widths come from the first 200 rows; a wider value later still keeps the gap before the next column. */
    @Test
    void a_value_wider_than_its_column_after_the_first_rows_keeps_the_gap() {
        Object[][] rows = new Object[201][];
        for (int i = 0; i < 200; i++) {
            rows[i] = new Object[] {"a", 1};
        }
        rows[200] = new Object[] {"bbbbbbbbbbbb", 1};
        String[] lines = stream(OutputFormat.table, List.of("s", "z"), rows).split("\n");
        assertEquals("S  Z", lines[0]);
        assertEquals("a  1", lines[1]);
        assertEquals("bbbbbbbbbbbb  1", lines[201]);
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /**
     * Columns line up on a terminal: a CJK character takes two columns (padding counted characters,
     * so later columns shifted), and a carriage return or tab in a value no longer breaks the row.
     */
    @Test
    void table_pads_by_terminal_width_and_keeps_each_row_on_its_line() {
        assertEquals("""
                NAME    N
                日本語  1
                abcdef  2
                a b c   3
                """, stream(OutputFormat.table, List.of("name", "n"), new Object[] {"日本語", 1}, new Object[] {"abcdef", 2},
                new Object[] {"a\r\nb\tc", 3}));
        assertEquals(0, TerminalWidth.of("e\u0301".substring(1)), "a combining accent takes no column");
        assertEquals(2, TerminalWidth.of("한"));
    }

    @Test
    void detail_prints_one_object() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("env", "dev");
        fields.put("tasks", Map.of("orders", "arn:1"));
        StringWriter sw = new StringWriter();
        new Output(OutputFormat.table, new PrintWriter(sw)).detail(fields);
        assertEquals("env    dev\ntasks  orders=arn:1\n", sw.toString());
        sw = new StringWriter();
        new Output(OutputFormat.json, new PrintWriter(sw)).detail(fields);
        assertEquals("arn:1", new ObjectMapper().readTree(sw.toString()).get("tasks").get("orders").asText());
    }

    @Test
    void durations_parse_and_format_like_people_write_them() {
        assertEquals(Duration.ofSeconds(60), Durations.parse("60s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        var bad = assertThrows(IllegalArgumentException.class, () -> Durations.parse("7 days"));
        assertEquals("'7 days' is not a duration (examples: 90s, 15m, 2h, 7d, 1h30m)", bad.getMessage());
    }
}
