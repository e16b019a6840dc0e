package dev.lakehouse.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A struct, list or map column read by name, in the table's shape: the files hold the fields they
 * were written with, and Iceberg's reader returns a field added since as NULL (or its v3 initial
 * default), leaves a dropped one out, and returns a struct the file has none of the fields of as
 * NULL. DuckDB's CAST does the first two, field by field and by name, but refuses a struct with no
 * field in common, so such levels are built field by field instead.
 */
final class NestedShapes {
    private NestedShapes() {
    }

    /** DuckDB's type text, parsed: a struct's fields by name, a list's element, a map's key and value. */
    record DuckType(String name, Map<String, DuckType> fields, DuckType element, DuckType key, DuckType value) {
        DuckType field(String fieldName) {
            DuckType exact = fields.get(fieldName);
            if (exact != null) {
                return exact;
            }
            // DuckDB matches struct fields by name regardless of case, as its cast does
            return fields.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(fieldName))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        boolean isStruct() {
            return name.equals("STRUCT");
        }
    }

    /** SQL reading {@code expr}, whose type DuckDB gives as {@code read}, as the table's {@code type}. */
    static String reshape(String expr, Type type, String read) {
        DuckType shape;
        try {
            shape = parse(read);
        } catch (IllegalArgumentException unexpected) { // a type text this does not know: DuckDB's cast, which may say what is wrong
            return "CAST(" + expr + " AS " + DuckTypes.of(type) + ")";
        }
        return reshape(expr, type, shape, 1);
    }

    private static String reshape(String expr, Type type, DuckType read, int depth) {
        String cast = "CAST(" + expr + " AS " + DuckTypes.of(type) + ")";
        if (type.isStructType() && read.isStruct()
                && type.asStructType().fields().stream().noneMatch(f -> read.field(f.name()) != null)) {
            return "CAST(NULL AS " + DuckTypes.of(type) + ")"; // as Iceberg: no field of the struct in the file
        }
        if (castable(type, read)) {
            return cast;
        }
        if (type.isStructType() && read.isStruct()) {
            List<String> fields = new ArrayList<>();
            for (Types.NestedField f : type.asStructType().fields()) {
                DuckType inFile = read.field(f.name());
                fields.add(DuckTypes.quote(f.name()) + " := " + (inFile == null ? IcebergViews.initialDefault(f)
                        : reshape(expr + "." + DuckTypes.quote(f.name()), f.type(), inFile, depth)));
            }
            return "CASE WHEN " + expr + " IS NULL THEN NULL ELSE struct_pack(" + String.join(", ", fields) + ") END";
        }
        if (type.isListType() && read.element() != null) {
            String x = "__lh_x" + depth;
            return "list_transform(" + expr + ", " + x + " -> " + reshape(x, type.asListType().elementType(), read.element(), depth + 1) + ")";
        }
        if (type.isMapType() && read.key() != null) {
            String e = "__lh_e" + depth;
            return "map_from_entries(list_transform(map_entries(" + expr + "), " + e + " -> struct_pack(\"key\" := "
                    + reshape(e + ".\"key\"", type.asMapType().keyType(), read.key(), depth + 1) + ", \"value\" := "
                    + reshape(e + ".\"value\"", type.asMapType().valueType(), read.value(), depth + 1) + ")))";
        }
        return cast;
    }

    /**
     * Whether DuckDB's CAST reads it right: every struct inside shares a field with the file, and no
     * field the file lacks has an initial default (the cast gives NULL there).
     */
    private static boolean castable(Type type, DuckType read) {
        if (type.isStructType()) {
            if (!read.isStruct()) {
                return true; // not a shape this reads; DuckDB's cast says what is wrong
            }
            boolean common = false;
            for (Types.NestedField f : type.asStructType().fields()) {
                DuckType inFile = read.field(f.name());
                if (inFile == null) {
                    if (f.initialDefault() != null) {
                        return false;
                    }
                } else if (!castable(f.type(), inFile)) {
                    return false;
                } else {
                    common = true;
                }
            }
            return common;
        }
        if (type.isListType()) {
            return read.element() == null || castable(type.asListType().elementType(), read.element());
        }
        if (type.isMapType()) {
            return read.key() == null || (castable(type.asMapType().keyType(), read.key()) && castable(type.asMapType().valueType(), read.value()));
        }
        return true;
    }

    /** DuckDB's type text: {@code STRUCT("a b" INTEGER, c VARCHAR[])}, {@code MAP(VARCHAR, STRUCT(v BIGINT))}, {@code DECIMAL(10,2)}. */
    static DuckType parse(String text) {
        Parser p = new Parser(text);
        DuckType t = p.type();
        p.skipSpaces();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("Unexpected DuckDB type text: " + text);
        }
        return t;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        boolean at(char c) {
            skipSpaces();
            return pos < s.length() && s.charAt(pos) == c;
        }

        void expect(char c) {
            if (!at(c)) {
                throw new IllegalArgumentException("Unexpected DuckDB type text at " + pos + ": " + s);
            }
            pos++;
        }

        /** A name: quoted ("a ""b"""), or a bare word. */
        String name() {
            skipSpaces();
            StringBuilder b = new StringBuilder();
            if (at('"')) {
                pos++;
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == '"') {
                        if (pos < s.length() && s.charAt(pos) == '"') {
                            b.append('"');
                            pos++;
                        } else {
                            return b.toString();
                        }
                    } else {
                        b.append(c);
                    }
                }
                throw new IllegalArgumentException("Unterminated name in DuckDB type text: " + s);
            }
            while (pos < s.length() && " (),[]".indexOf(s.charAt(pos)) < 0) {
                b.append(s.charAt(pos++));
            }
            return b.toString();
        }

        DuckType type() {
            String word = name().toUpperCase(Locale.ROOT);
            // multi-word names: TIMESTAMP WITH TIME ZONE, DOUBLE PRECISION
            while (true) {
                skipSpaces();
                int save = pos;
                String next = name();
                if (next.isEmpty() || !next.matches("[A-Za-z_]+") || !List.of("WITH", "TIME", "ZONE", "PRECISION", "VARYING")
                        .contains(next.toUpperCase(Locale.ROOT))) {
                    pos = save;
                    break;
                }
                word += " " + next.toUpperCase(Locale.ROOT);
            }
            DuckType t;
            if (word.equals("STRUCT") && at('(')) {
                pos++;
                Map<String, DuckType> fields = new LinkedHashMap<>();
                while (!at(')')) {
                    String field = name();
                    fields.put(field, type());
                    if (at(',')) {
                        pos++;
                    }
                }
                pos++;
                t = new DuckType("STRUCT", fields, null, null, null);
            } else if (word.equals("MAP") && at('(')) {
                pos++;
                DuckType key = type();
                expect(',');
                DuckType value = type();
                expect(')');
                t = new DuckType("MAP", Map.of(), null, key, value);
            } else {
                if (at('(')) { // DECIMAL(10,2), and any other type's arguments: kept out of the shape
                    int depth = 0;
                    do {
                        char c = s.charAt(pos++);
                        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                    } while (depth > 0 && pos < s.length());
                }
                t = new DuckType(word, Map.of(), null, null, null);
            }
            while (at('[')) { // a list: T[]; a fixed-size array T[3] too
                while (pos < s.length() && s.charAt(pos) != ']') {
                    pos++;
                }
                pos++;
                t = new DuckType("LIST", Map.of(), t, null, null);
            }
            return t;
        }
    }
}
