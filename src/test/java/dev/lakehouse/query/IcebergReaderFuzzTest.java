package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.CliRun;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized differential test: random tables (v2/v3, random schema, partition spec, NULLs), random
 * appends, equality deletes, position deletes / deletion vectors, schema evolution and compactions,
 * then the local engine's answers compared with IcebergGenerics (all rows, filters evaluated here with
 * SQL semantics, and one time-travel query). Fixed seeds, so a failure reproduces.
 */
class IcebergReaderFuzzTest {
    @TempDir
    Path root;

    static final int SEEDS = Integer.getInteger("fuzz.seeds", 30);
    static final int FIRST_SEED = Integer.getInteger("fuzz.first", 1);

    @Test
    void engine_matches_iceberg_on_random_tables() throws Exception {
        List<String> failures = new ArrayList<>();
        int queries = 0;
        for (int seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            Case c = new Case(seed, Files.createDirectories(root.resolve("s" + seed)));
            try {
                c.runCase();
            } catch (Throwable e) {
                c.failures.add("seed " + seed + ": exception " + e);
            }
            queries += c.queries;
            if (!c.failures.isEmpty()) {
                failures.add("seed " + seed + " log:\n  " + String.join("\n  ", c.log) + "\n  FAIL: " + String.join("\n  FAIL: ", c.failures));
            }
        }
        String summary = "fuzz: " + SEEDS + " seeds, " + queries + " queries, " + failures.size() + " failing seeds";
        System.out.println(summary);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/fuzz-report.txt"), summary + "\n" + String.join("\n\n", failures));
        assertEquals(List.of(), failures.stream().map(f -> f.substring(0, f.indexOf(" log:"))).toList(), "see target/fuzz-report.txt");
    }

    static final List<String> TYPES = List.of("long", "int", "string", "double", "float", "decimal", "date", "timestamp",
            "timestamptz", "boolean");

    static Type type(String name) {
        return switch (name) {
            case "long" -> Types.LongType.get();
            case "int" -> Types.IntegerType.get();
            case "string" -> Types.StringType.get();
            case "double" -> Types.DoubleType.get();
            case "float" -> Types.FloatType.get();
            case "decimal" -> Types.DecimalType.of(9, 2);
            case "date" -> Types.DateType.get();
            case "timestamp" -> Types.TimestampType.withoutZone();
            case "timestamptz" -> Types.TimestampType.withZone();
            case "boolean" -> Types.BooleanType.get();
            default -> throw new IllegalArgumentException(name);
        };
    }

    final class Case {
        final int seed;
        final Random rnd;
        final LakehouseFixture fx;
        final List<String> log = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<Long> snapshots = new ArrayList<>();
        final Map<String, Set<Long>> dvPositions = new HashMap<>(); // DV location -> positions it holds
        boolean hasStruct;
        int queries;
        int nextName;
        long nextId;

        Case(int seed, Path dir) {
            this.seed = seed;
            this.rnd = new Random(seed * 7919L + 17);
            this.fx = LakehouseFixture.local(dir);
        }

        void runCase() throws Exception {
            int format = 2 + rnd.nextInt(2);
            int ncols = 3 + rnd.nextInt(4);
            List<Types.NestedField> fields = new ArrayList<>();
            int id = 1;
            fields.add(Types.NestedField.optional(id++, "id", Types.LongType.get()));
            hasStruct = rnd.nextInt(4) == 0;
            for (int i = 1; i < ncols; i++) {
                if (hasStruct && i == ncols - 1) {
                    fields.add(Types.NestedField.optional(id, "st", Types.StructType.of(
                            Types.NestedField.optional(id + 1, "a", Types.IntegerType.get()),
                            Types.NestedField.optional(id + 2, "b", Types.StringType.get()))));
                    id += 3;
                } else {
                    fields.add(Types.NestedField.optional(id++, "c" + i, type(TYPES.get(rnd.nextInt(TYPES.size())))));
                }
            }
            nextName = ncols;
            Schema schema = new Schema(fields);
            PartitionSpec spec = randomSpec(schema);
            log.add("create v" + format + " " + schema.asStruct() + " spec " + spec);
            try (Warehouse w = fx.warehouse()) {
                var tid = w.identifier("t");
                w.ensureNamespace(tid.namespace());
                Table t = w.catalog().createTable(tid, schema, spec, Map.of("format-version", Integer.toString(format)));
                appendRows(t);
            }
            int ops = 3 + rnd.nextInt(6);
            for (int i = 0; i < ops; i++) {
                operation();
            }
            compareAll();
            for (int i = 0; i < 5; i++) {
                compareFilter();
            }
            compareTimeTravel();
        }

        PartitionSpec randomSpec(Schema schema) {
            List<Types.NestedField> prims = schema.columns().stream().filter(f -> f.type().isPrimitiveType()).toList();
            Types.NestedField f = prims.get(rnd.nextInt(prims.size()));
            Type.TypeID tid = f.type().typeId();
            var b = PartitionSpec.builderFor(schema);
            switch (rnd.nextInt(5)) {
                case 0:
                    return PartitionSpec.unpartitioned();
                case 1:
                    return b.identity(f.name()).build();
                case 2:
                    if (tid != Type.TypeID.FLOAT && tid != Type.TypeID.DOUBLE && tid != Type.TypeID.BOOLEAN) {
                        return b.bucket(f.name(), 1 + rnd.nextInt(4)).build();
                    }
                    return PartitionSpec.unpartitioned();
                case 3:
                    if (tid == Type.TypeID.INTEGER || tid == Type.TypeID.LONG || tid == Type.TypeID.STRING || tid == Type.TypeID.DECIMAL) {
                        return b.truncate(f.name(), 1 + rnd.nextInt(3)).build();
                    }
                    return b.identity(f.name()).build();
                default:
                    if (tid == Type.TypeID.DATE || tid == Type.TypeID.TIMESTAMP) {
                        return b.day(f.name()).build();
                    }
                    return PartitionSpec.unpartitioned();
            }
        }

        // ---- values ----
        static final String[] WORDS = {"a", "b", "ab", "", "é", "zz", "x'y", "B", "abc"};

        Object value(Type t) {
            switch (t.typeId()) {
                case LONG: return rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? 1L : -1L) * (1L << 40) + rnd.nextInt(3) : (long) (rnd.nextInt(11) - 5);
                case INTEGER: return rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE) : rnd.nextInt(11) - 5;
                case STRING: return WORDS[rnd.nextInt(WORDS.length)];
                case DOUBLE: return rnd.nextInt(10) == 0 ? -0.0 : (rnd.nextInt(41) - 20) / 8.0;
                case FLOAT: return rnd.nextInt(10) == 0 ? -0.0f : (rnd.nextInt(41) - 20) / 8.0f;
                case DECIMAL: {
                    int scale = ((Types.DecimalType) t).scale();
                    return rnd.nextInt(10) == 0 ? new BigDecimal("9999999.99").setScale(scale) : BigDecimal.valueOf(rnd.nextInt(1001) - 500, 2).setScale(scale);
                }
                case DATE: return rnd.nextInt(8) == 0 ? LocalDate.of(1900 + rnd.nextInt(200), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28))
                        : LocalDate.of(1969, 12, 28).plusDays(rnd.nextInt(8));
                case TIMESTAMP: return timestamp();
                case TIMESTAMP_NANO: throw new IllegalStateException();
                case BOOLEAN: return rnd.nextBoolean();
                default: throw new IllegalStateException(t.toString());
            }
        }

        Object timestamp() {
            long micros = rnd.nextInt(8) == 0 ? (rnd.nextLong() % (100L * 365 * 86400_000_000L))
                    : (rnd.nextInt(4) - 2) * 86400_000_000L + rnd.nextInt(5) * 3600_000_000L + (rnd.nextBoolean() ? rnd.nextInt(1000000) : 0);
            return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        }

        Object valueFor(Types.NestedField f) {
            if (rnd.nextInt(6) == 0) {
                return null;
            }
            Type t = f.type();
            if (t.isStructType()) {
                GenericRecord s = GenericRecord.create(t.asStructType());
                for (Types.NestedField sf : t.asStructType().fields()) {
                    s.setField(sf.name(), valueFor(sf));
                }
                return s;
            }
            Object v = value(t);
            if (t instanceof Types.TimestampType ts && ts.shouldAdjustToUTC()) {
                return ((LocalDateTime) v).atOffset(ZoneOffset.UTC);
            }
            return v;
        }

        void appendRows(Table t) {
            int n = 5 + rnd.nextInt(36);
            List<Record> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                GenericRecord r = GenericRecord.create(t.schema());
                for (Types.NestedField f : t.schema().columns()) {
                    r.setField(f.name(), f.name().equals("id") ? (Object) nextId++ : valueFor(f));
                }
                rows.add(r);
            }
            var a = t.newAppend();
            List<DataFile> files = TestTables.writeData(t, rows);
            files.forEach(a::appendFile);
            a.commit();
            log.add("append " + n + " rows in " + files.size() + " files: " + rows);
        }

        void operation() throws Exception {
            int op = rnd.nextInt(10);
            try (Warehouse w = fx.warehouse()) {
                Table t = w.load("t");
                snapshots.add(t.currentSnapshot() == null ? -1 : t.currentSnapshot().snapshotId());
                switch (op) {
                    case 0, 1 -> appendRows(t);
                    case 2, 3 -> equalityDelete(t);
                    case 4, 5 -> positionDelete(t);
                    case 6 -> addColumn(t);
                    case 7 -> widen(t);
                    case 8 -> {
                        if (hasStruct) {
                            appendRows(t);
                        } else {
                            List<Types.NestedField> cols = t.schema().columns();
                            Types.NestedField f = cols.get(rnd.nextInt(cols.size()));
                            String to = "r" + nextName++;
                            t.updateSchema().renameColumn(f.name(), to).commit();
                            log.add("rename " + f.name() + " -> " + to);
                        }
                    }
                    default -> {
                        // compaction via the CLI, outside the open catalog
                    }
                }
            }
            if (op == 9) {
                CliRun.Result r = fx.cli().run("iceberg", "compact", "t");
                log.add("compact: exit " + r.exitCode() + " " + r.out().replace('\n', ' '));
                if (r.exitCode() != 0) {
                    failures.add("compact failed: " + r);
                }
            }
        }

        List<StructLike> partitions(Table t) throws IOException {
            List<StructLike> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
                for (FileScanTask task : tasks) {
                    DataFile f = task.file();
                    if (f.specId() == t.spec().specId() && seen.add(String.valueOf(f.partition()))) {
                        out.add(f.partition());
                    }
                }
            }
            return out;
        }

        void equalityDelete(Table t) throws IOException {
            List<Types.NestedField> prims = t.schema().columns().stream().filter(f -> f.type().isPrimitiveType()).toList();
            List<String> cols = new ArrayList<>();
            cols.add(prims.get(rnd.nextInt(prims.size())).name());
            if (rnd.nextInt(3) == 0) {
                String second = prims.get(rnd.nextInt(prims.size())).name();
                if (!cols.contains(second)) {
                    cols.add(second);
                }
            }
            List<Record> live = read(t, null);
            if (live.isEmpty()) {
                return;
            }
            List<Object[]> keys = new ArrayList<>();
            int nk = 1 + rnd.nextInt(3);
            for (int k = 0; k < nk; k++) {
                Record src = live.get(rnd.nextInt(live.size()));
                Object[] key = new Object[cols.size()];
                for (int i = 0; i < cols.size(); i++) {
                    key[i] = rnd.nextInt(6) == 0 ? null : src.getField(cols.get(i));
                }
                keys.add(key);
            }
            Schema deleteSchema = t.schema().select(cols);
            int[] ids = cols.stream().mapToInt(c -> t.schema().findField(c).fieldId()).toArray();
            GenericAppenderFactory factory = new GenericAppenderFactory(t.schema(), t.spec(), ids, deleteSchema, null)
                    .setAll(t.properties());
            List<StructLike> parts = t.spec().isUnpartitioned() ? java.util.Collections.singletonList(null) : partitions(t);
            var delta = t.newRowDelta();
            for (StructLike p : parts) {
                var writer = factory.newEqDeleteWriter(TestTables.outputFile(t), FileFormat.PARQUET, p);
                try (writer) {
                    for (Object[] k : keys) {
                        GenericRecord key = GenericRecord.create(deleteSchema);
                        for (int i = 0; i < k.length; i++) {
                            key.setField(cols.get(i), k[i]);
                        }
                        writer.write(key);
                    }
                }
                delta.addDeletes(writer.toDeleteFile());
            }
            delta.commit();
            List<String> ks = keys.stream().map(java.util.Arrays::toString).toList();
            log.add("equality delete on " + cols + " keys " + ks + " in " + parts.size() + " partitions");
        }

        void positionDelete(Table t) throws IOException {
            List<FileScanTask> tasks = new ArrayList<>();
            try (CloseableIterable<FileScanTask> ts = t.newScan().planFiles()) {
                ts.forEach(tasks::add);
            }
            if (tasks.isEmpty()) {
                return;
            }
            FileScanTask task = tasks.get(rnd.nextInt(tasks.size()));
            DataFile file = task.file();
            int n = 1 + rnd.nextInt((int) Math.min(4, file.recordCount()));
            Set<Long> positions = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                positions.add((long) rnd.nextInt((int) file.recordCount()));
            }
            if (org.apache.iceberg.TableUtil.formatVersion(t) < 3) {
                TestTables.deletePositions(t, file, positions.stream().mapToLong(Long::longValue).toArray());
                log.add("position delete " + positions + " of " + name(file));
                return;
            }
            DeleteFile previous = null;
            for (DeleteFile d : task.deletes()) {
                if (d.format() == FileFormat.PUFFIN) {
                    previous = d;
                }
            }
            Set<Long> all = new java.util.TreeSet<>(positions);
            if (previous != null) {
                Set<Long> old = dvPositions.get(previous.location());
                if (old == null) {
                    log.add("skip DV: previous vector unknown");
                    return;
                }
                all.addAll(old);
            }
            var writer = new org.apache.iceberg.deletes.BaseDVFileWriter(org.apache.iceberg.io.OutputFileFactory
                    .builderFor(t, 1, rnd.nextInt(1000000)).format(FileFormat.PUFFIN).build(), path -> null);
            try (writer) {
                for (long pos : all) {
                    writer.delete(file.location(), pos, t.specs().get(file.specId()), file.partition());
                }
            }
            var delta = t.newRowDelta().validateFromSnapshot(t.currentSnapshot().snapshotId());
            for (DeleteFile d : writer.result().deleteFiles()) {
                delta.addDeletes(d);
                dvPositions.put(d.location(), all);
            }
            if (previous != null) {
                delta.removeDeletes(previous);
            }
            delta.commit();
            log.add("deletion vector " + all + " of " + name(file) + (previous != null ? " (replacing one)" : ""));
        }

        String name(DataFile f) {
            String l = f.location();
            return l.substring(l.lastIndexOf('/') + 1) + "[" + f.recordCount() + " rows, partition " + f.partition() + "]";
        }

        void addColumn(Table t) {
            String name = "c" + nextName++;
            Type type = type(TYPES.get(rnd.nextInt(TYPES.size())));
            if (org.apache.iceberg.TableUtil.formatVersion(t) >= 3 && rnd.nextInt(3) == 0) {
                Object v = value(type);
                Object lit = v instanceof LocalDateTime ldt ? ldt.toString() : v instanceof LocalDate ld ? ld.toString() : v;
                boolean tz = type.typeId() == Type.TypeID.TIMESTAMP && ((Types.TimestampType) type).shouldAdjustToUTC();
                var literal = org.apache.iceberg.expressions.Literal.of(tz ? lit + "+00:00" : String.valueOf(lit)).to(type);
                if (literal != null) {
                    t.updateSchema().addColumn(name, type, literal).commit();
                    log.add("add column " + name + " " + type + " default " + lit);
                    return;
                }
            }
            t.updateSchema().addColumn(name, type).commit();
            log.add("add column " + name + " " + type);
        }

        void widen(Table t) {
            List<String> candidates = new ArrayList<>();
            for (Types.NestedField f : t.schema().columns()) {
                // a float partition source widened to double: Iceberg's own test writers fail (ClassCastException)
                boolean floatSource = f.type().typeId() == Type.TypeID.FLOAT
                        && t.spec().fields().stream().anyMatch(p -> p.sourceId() == f.fieldId());
                if (floatSource) {
                    continue;
                }
                if (f.type().typeId() == Type.TypeID.INTEGER || f.type().typeId() == Type.TypeID.FLOAT
                        || (f.type() instanceof Types.DecimalType d && d.precision() == 9)) {
                    candidates.add(f.name());
                }
                if (f.type().isStructType() && f.type().asStructType().field("a").type().typeId() == Type.TypeID.INTEGER) {
                    candidates.add(f.name() + ".a");
                }
            }
            if (candidates.isEmpty()) {
                addColumn(t);
                return;
            }
            String c = candidates.get(rnd.nextInt(candidates.size()));
            Type from = t.schema().findType(c);
            Type to = switch (from.typeId()) {
                case INTEGER -> Types.LongType.get();
                case FLOAT -> Types.DoubleType.get();
                default -> Types.DecimalType.of(12, 2);
            };
            t.updateSchema().updateColumn(c, to.asPrimitiveType()).commit();
            log.add("widen " + c + " " + from + " -> " + to);
        }

        // ---- comparisons ----
        List<Record> read(Table t, Long snapshot) {
            var b = IcebergGenerics.read(t);
            if (snapshot != null) {
                b = b.useSnapshot(snapshot);
            }
            List<Record> out = new ArrayList<>();
            try (CloseableIterable<Record> rs = b.build()) {
                rs.forEach(r -> out.add(r.copy()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }

        Types.StructType lastStruct;

        List<Record> iceberg(Long snapshot) {
            try (Warehouse w = fx.warehouse()) {
                Table t = w.load("t");
                lastStruct = snapshot == null ? t.schema().asStruct() : t.schemas().get(t.snapshot(snapshot).schemaId()).asStruct();
                return read(t, snapshot);
            }
        }

        void check(String sql, List<Record> expectedRecords, String... options) throws Exception {
            queries++;
            List<String> args = new ArrayList<>(List.of("query", sql, "-o", "json"));
            args.addAll(List.of(options));
            CliRun.Result r = fx.cli().run(args.toArray(String[]::new));
            if (r.exitCode() != 0) {
                failures.add(sql + " " + String.join(" ", options) + ": exit " + r.exitCode() + " " + r.errorLine());
                return;
            }
            Types.StructType struct = lastStruct;
            List<String> expected = new ArrayList<>();
            for (Record rec : expectedRecords) {
                expected.add(canon(struct, rec));
            }
            expected.sort(null);
            List<String> actual = new ArrayList<>();
            for (Map<String, Object> row : parseRows(r.out())) {
                actual.add(canonJson(struct, row));
            }
            actual.sort(null);
            if (!expected.equals(actual)) {
                List<String> missing = new ArrayList<>(expected);
                actual.forEach(missing::remove);
                List<String> extra = new ArrayList<>(actual);
                expected.forEach(extra::remove);
                failures.add(sql + " " + String.join(" ", options) + ": expected " + expected.size() + " rows, got " + actual.size()
                        + "; missing " + missing + "; extra " + extra);
            }
        }

        void compareAll() throws Exception {
            check("SELECT * FROM t", iceberg(null));
        }

        void compareTimeTravel() throws Exception {
            List<Long> earlier = snapshots.stream().filter(s -> s != -1).distinct().toList();
            if (earlier.isEmpty()) {
                return;
            }
            long s = earlier.get(rnd.nextInt(earlier.size()));
            check("SELECT * FROM t", iceberg(s), "--snapshot", Long.toString(s));
        }

        // ---- filters ----
        void compareFilter() throws Exception {
            List<Record> records = iceberg(null);
            if (records.isEmpty()) {
                check("SELECT * FROM t WHERE \"" + lastStruct.fields().get(0).name() + "\" IS NULL", records);
                return;
            }
            Types.StructType struct = lastStruct;
            Filter f = filter(struct, records);
            if (rnd.nextInt(3) == 0) {
                Filter g = filter(struct, records);
                boolean and = rnd.nextBoolean();
                Filter a = f;
                f = new Filter("(" + a.sql + (and ? " AND " : " OR ") + g.sql + ")",
                        r -> and ? and3(a.eval.apply(r), g.eval.apply(r)) : or3(a.eval.apply(r), g.eval.apply(r)));
            }
            Filter fin = f;
            List<Record> expected = records.stream().filter(r -> Boolean.TRUE.equals(fin.eval.apply(r))).toList();
            String select = "*";
            if (rnd.nextBoolean()) { // a random projection: the columns the filter and the deletes need are not all selected
                List<Types.NestedField> chosen = new ArrayList<>();
                for (Types.NestedField c : struct.fields()) {
                    if (rnd.nextBoolean()) {
                        chosen.add(c);
                    }
                }
                if (chosen.isEmpty()) {
                    chosen.add(struct.fields().get(rnd.nextInt(struct.fields().size())));
                }
                select = String.join(", ", chosen.stream().map(c -> "\"" + c.name() + "\"").toList());
                lastStruct = Types.StructType.of(chosen);
            }
            check("SELECT " + select + " FROM t WHERE " + f.sql, expected);
        }

        record Filter(String sql, java.util.function.Function<Record, Boolean> eval) {
        }

        Filter filter(Types.StructType struct, List<Record> records) {
            List<Types.NestedField> prims = struct.fields().stream().filter(f -> f.type().isPrimitiveType()).toList();
            Types.NestedField f = prims.get(rnd.nextInt(prims.size()));
            String col = "\"" + f.name() + "\"";
            Type type = f.type();
            java.util.function.Supplier<Object> pick = () -> records.get(rnd.nextInt(records.size())).getField(f.name());
            java.util.function.Supplier<Object> nonNull = () -> {
                for (int i = 0; i < 20; i++) {
                    Object v = pick.get();
                    if (v != null) {
                        return v;
                    }
                }
                return null;
            };
            int kind = rnd.nextInt(type.typeId() == Type.TypeID.BOOLEAN ? 3 : 6);
            if (kind == 1) {
                boolean not = rnd.nextBoolean();
                return new Filter(col + (not ? " IS NOT NULL" : " IS NULL"), r -> (r.getField(f.name()) == null) != not);
            }
            Object v = nonNull.get();
            if (v == null) {
                return new Filter(col + " IS NULL", r -> r.getField(f.name()) == null);
            }
            switch (kind) {
                case 0, 3: {
                    String[] ops = {"=", "<>", "<", "<=", ">", ">="};
                    String op = type.typeId() == Type.TypeID.BOOLEAN ? (rnd.nextBoolean() ? "=" : "<>") : ops[rnd.nextInt(ops.length)];
                    return new Filter(col + " " + op + " " + literal(type, v), r -> cmp(r.getField(f.name()), v, op));
                }
                case 2: {
                    List<Object> vs = new ArrayList<>();
                    int n = 1 + rnd.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        Object x = pick.get();
                        vs.add(x);
                    }
                    if (vs.stream().allMatch(java.util.Objects::isNull)) {
                        vs.add(v);
                    }
                    List<String> lits = vs.stream().map(x -> x == null ? "NULL" : literal(type, x)).toList();
                    return new Filter(col + " IN (" + String.join(", ", lits) + ")", r -> {
                        Boolean res = false;
                        for (Object x : vs) {
                            res = or3(res, x == null ? null : cmp(r.getField(f.name()), x, "="));
                        }
                        return res;
                    });
                }
                default: {
                    Object v2 = nonNull.get();
                    if (v2 == null) {
                        v2 = v;
                    }
                    Object lo = v;
                    Object hi = v2;
                    if (rnd.nextInt(4) != 0 && compare(lo, hi) > 0) {
                        lo = v2;
                        hi = v;
                    }
                    Object flo = lo;
                    Object fhi = hi;
                    return new Filter(col + " BETWEEN " + literal(type, lo) + " AND " + literal(type, hi),
                            r -> and3(cmp(r.getField(f.name()), flo, ">="), cmp(r.getField(f.name()), fhi, "<=")));
                }
            }
        }
    }

    static Boolean and3(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a == null || b == null ? null : true;
    }

    static Boolean or3(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a == null || b == null ? null : false;
    }

    static Boolean cmp(Object x, Object v, String op) {
        if (x == null || v == null) {
            return null;
        }
        int c = compare(x, v);
        return switch (op) {
            case "=" -> c == 0;
            case "<>" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** SQL comparison: numbers by value (-0.0 = 0.0), times as instants, strings by code point. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return big(x).compareTo(big(y));
        }
        if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
            return x.toInstant().compareTo(y.toInstant());
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        return ((Comparable) a).compareTo(b);
    }

    static BigDecimal big(Number n) {
        if (n instanceof Double || n instanceof Float) {
            return new BigDecimal(n.doubleValue());
        }
        return n instanceof BigDecimal b ? b : BigDecimal.valueOf(n.longValue());
    }

    static int compareCodePoints(String x, String y) {
        int[] a = x.codePoints().toArray();
        int[] b = y.codePoints().toArray();
        return java.util.Arrays.compare(a, b);
    }

    static final java.time.format.DateTimeFormatter TS = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    static String literal(Type type, Object v) {
        return switch (type.typeId()) {
            case LONG, INTEGER -> v.toString();
            case STRING -> "'" + v.toString().replace("'", "''") + "'";
            case DOUBLE, FLOAT -> new BigDecimal(((Number) v).doubleValue()).toPlainString();
            case DECIMAL -> ((BigDecimal) v).toPlainString();
            case DATE -> "DATE '" + v + "'";
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
                    ? "TIMESTAMPTZ '" + ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().format(TS) + "+00'"
                    : "TIMESTAMP '" + ((LocalDateTime) v).format(TS) + "'";
            case BOOLEAN -> v.toString();
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    // ---- normalisation ----
    /** A JSON number, kept as its text. */
    record Num(String text) {
    }

    static List<Map<String, Object>> parseRows(String json) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("not an array: " + json);
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                rows.add(parseObject(p));
            }
        }
        return rows;
    }

    static Map<String, Object> parseObject(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.getCurrentName();
            JsonToken t = p.nextToken();
            m.put(name, switch (t) {
                case START_OBJECT -> parseObject(p);
                case VALUE_NULL -> null;
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Num(p.getText());
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_STRING -> p.getText();
                default -> throw new IOException("unexpected " + t);
            });
        }
        return m;
    }

    static String canon(Types.StructType struct, Record rec) {
        List<String> parts = new ArrayList<>();
        for (Types.NestedField f : struct.fields()) {
            Object v = rec.getField(f.name());
            parts.add(f.name() + "=" + canonValue(f.type(), v));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    static String canonValue(Type type, Object v) {
        if (v == null) {
            return "null";
        }
        if (type.isStructType()) {
            return canon(type.asStructType(), (Record) v);
        }
        return switch (type.typeId()) {
            case LONG, INTEGER -> "int:" + v;
            case STRING -> "str:" + v;
            case DOUBLE -> "double:" + ((Double) v);
            case FLOAT -> "float:" + ((Float) v);
            case DECIMAL -> "dec:" + ((BigDecimal) v).stripTrailingZeros().toPlainString();
            case DATE -> "date:" + v;
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "tstz:" + ((OffsetDateTime) v).toInstant()
                    : "ts:" + v;
            case BOOLEAN -> "bool:" + v;
            default -> "?" + type + ":" + v;
        };
    }

    @SuppressWarnings("unchecked")
    static String canonJson(Types.StructType struct, Map<String, Object> row) {
        List<String> parts = new ArrayList<>();
        for (var e : row.entrySet()) {
            Types.NestedField f = struct == null ? null : struct.field(e.getKey());
            parts.add(e.getKey() + "=" + (f == null ? "unknown-column:" + e.getValue() : canonJsonValue(f.type(), e.getValue())));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    @SuppressWarnings("unchecked")
    static String canonJsonValue(Type type, Object v) {
        if (v == null) {
            return "null";
        }
        if (type.isStructType()) {
            return v instanceof Map ? canonJson(type.asStructType(), (Map<String, Object>) v) : "not-a-struct:" + v;
        }
        String text = v instanceof Num n ? n.text() : v.toString();
        try {
            return switch (type.typeId()) {
                case LONG, INTEGER -> "int:" + new java.math.BigInteger(text);
                case STRING -> v instanceof String ? "str:" + v : "not-a-string:" + v;
                case DOUBLE -> "double:" + Double.parseDouble(text);
                case FLOAT -> {
                    float fl = Float.parseFloat(text);
                    // the text must name this float exactly, as a double or as the shortest float text
                    yield Double.parseDouble(text) == (double) fl || Float.toString(fl).equals(text) || text.equals(Double.toString(fl))
                            ? "float:" + fl : "float-text:" + text;
                }
                case DECIMAL -> "dec:" + new BigDecimal(text).stripTrailingZeros().toPlainString();
                case DATE -> "date:" + LocalDate.parse(text);
                case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "tstz:" + OffsetDateTime.parse(text).toInstant()
                        : "ts:" + LocalDateTime.parse(text);
                case BOOLEAN -> v instanceof Boolean ? "bool:" + v : "not-a-boolean:" + v;
                default -> "?" + type + ":" + v;
            };
        } catch (RuntimeException e) {
            return "unparsed(" + type + "):" + v;
        }
    }
}
