package dev.lakehouse.convert;

import static dev.lakehouse.cli.LakehouseException.firstLine;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.RawFiles.Format;
import dev.lakehouse.env.TableMapping;
import dev.lakehouse.env.TableMapping.WriteMode;
import dev.lakehouse.iceberg.Locations;
import dev.lakehouse.iceberg.ParquetFooters;
import dev.lakehouse.query.DuckTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortDirection;
import org.apache.iceberg.SortField;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * A table's first convert on the local env, done by the embedded DuckDB engine instead of row by
 * row in Java: the LOAD files and the whole CDC backlog are read once, the backlog collapsed to the
 * last change per key (change sequence, else file and row order), and the final rows written as
 * the table's data files (Iceberg field ids, the table's partitioning, sort order and compression)
 * for one commit. It gives the table and the counts the Java path gives in one batch; it exists
 * because the Java path spends most of a first convert pushing every row through Iceberg's generic
 * Parquet reader and writer (docs/performance.md). Incremental runs, where changes meet rows
 * already in the table, stay on the Java path, as does anything {@link #unsupported} names.
 */
final class BulkLoad {
    /** What the load wrote (uncommitted: the caller commits or deletes the files) and counted. */
    record Outcome(List<DataFile> files, long loadRows, long inserted, long updated, long deleted,
                   String newestLoadCommit, String newestChangeCommit) {
    }

    private static final Set<Type.TypeID> TYPES = Set.of(Type.TypeID.BOOLEAN, Type.TypeID.INTEGER, Type.TypeID.LONG,
            Type.TypeID.FLOAT, Type.TypeID.DOUBLE, Type.TypeID.DECIMAL, Type.TypeID.DATE, Type.TypeID.TIMESTAMP,
            Type.TypeID.STRING, Type.TypeID.BINARY);
    private static final Set<String> CODECS = Set.of("zstd", "snappy", "gzip", "uncompressed");
    /** Columns DuckDB's read_parquet adds (virtual or on request), and the prefix of the names this class adds. */
    private static final Set<String> RESERVED = Set.of("filename", "file_index", "file_row_number");
    private static final String INTERNAL = "__lh_";
    private static final String NULL_PARTITION = "NULL";

    /** DuckDB's memory limit (its default: 80% of the machine's memory); tests lower it to run out. */
    static volatile String memoryLimit;
    /** Rows a partitioned write buffers before writing them out (see run); tests lower it. */
    static volatile int flushRows = 131_072;

    private final Table table;
    private final TableMapping mapping;
    private final List<RawSchema> loads;
    private final List<RawSchema> cdcs;
    private final Schema schema;
    private final List<String> columns;

    private BulkLoad(Table table, TableMapping mapping, List<RawSchema> loads, List<RawSchema> cdcs) {
        this.table = table;
        this.mapping = mapping;
        // files without rows add nothing (and may have no columns at all); they still count as applied
        this.loads = loads.stream().filter(r -> r.rows() > 0).toList();
        this.cdcs = cdcs.stream().filter(r -> r.rows() > 0).toList();
        this.schema = table.schema();
        this.columns = schema.columns().stream().map(Types.NestedField::name).toList();
    }

    /**
     * Why this table's first convert must take the Java path, or null when DuckDB can do it: only
     * local Parquet files, key-based write modes, flat primitive columns whose raw types need at
     * most int-to-long or float-to-double, partitions DuckDB can compute exactly (year, month, day,
     * hour; identity or truncate on integers; identity on dates) and consistent Op and
     * change-sequence columns.
     */
    private String unsupported() {
        if (mapping.writeMode() == WriteMode.APPEND_ONLY) {
            return "append-only table";
        }
        if (loads.isEmpty() && cdcs.isEmpty()) {
            return "no rows";
        }
        Set<String> names = new HashSet<>();
        for (Types.NestedField f : schema.columns()) {
            if (!TYPES.contains(f.type().typeId())) {
                return "column " + f.name() + " is " + f.type();
            }
            String lower = f.name().toLowerCase(Locale.ROOT);
            if (!names.add(lower) || RESERVED.contains(lower) || lower.startsWith(INTERNAL)) {
                return "column name " + f.name();
            }
        }
        for (RawSchema raw : all()) {
            if (raw.file().format() != Format.PARQUET || !local(raw.file().location())) {
                return "not a local Parquet file: " + raw.file().location();
            }
            Set<String> rawNames = new HashSet<>();
            for (Types.NestedField c : raw.schema().columns()) {
                String lower = c.name().toLowerCase(Locale.ROOT);
                if (!rawNames.add(lower) || RESERVED.contains(lower)) {
                    return "raw column name " + c.name() + " in " + raw.file().location();
                }
                Types.NestedField target = schema.findField(c.name());
                if (target != null && !mapping.bookkeepingColumns().contains(c.name()) && !readable(c.type(), target.type())) {
                    return "column " + c.name() + " is " + c.type() + " in " + raw.file().location() + ", " + target.type()
                            + " in the table";
                }
            }
        }
        if (!allOrNone(loads, "Op")) {
            return "some LOAD files have an Op column, some not";
        }
        if (!cdcs.stream().allMatch(r -> has(r, "Op"))) {
            return "a CDC file without an Op column"; // the Java path names it
        }
        if (mapping.changeSequenceColumn() != null && !allOrNone(cdcs, mapping.changeSequenceColumn())) {
            return "the change-sequence column is in some CDC files only";
        }
        for (PartitionField f : table.spec().fields()) {
            if (partitionValue(f) == null) {
                return "partition " + f.name() + " (" + f.transform() + ")";
            }
        }
        String codec = codec();
        if (!CODECS.contains(codec)) {
            return "compression codec " + codec;
        }
        return null;
    }

    private List<RawSchema> all() {
        List<RawSchema> all = new ArrayList<>(loads);
        all.addAll(cdcs);
        return all;
    }

    /** A path on this machine that DuckDB's read_parquet takes literally (no glob characters). */
    private static boolean local(String location) {
        String path = Locations.normalize(location);
        return path.startsWith("/") && path.chars().noneMatch(c -> "*?[]{}".indexOf(c) >= 0);
    }

    /** Raw Parquet types DuckDB casts to the table type exactly as the Java path widens them. */
    private static boolean readable(Type raw, Type target) {
        return raw.equals(target)
                || raw.typeId() == Type.TypeID.INTEGER && target.typeId() == Type.TypeID.LONG
                || raw.typeId() == Type.TypeID.FLOAT && target.typeId() == Type.TypeID.DOUBLE;
    }

    private static boolean has(RawSchema raw, String column) {
        return raw.schema().findField(column) != null;
    }

    private static boolean allOrNone(List<RawSchema> files, String column) {
        long with = files.stream().filter(r -> has(r, column)).count();
        return with == 0 || with == files.size();
    }

    private String codec() {
        return table.properties().getOrDefault(TableProperties.PARQUET_COMPRESSION,
                TableProperties.PARQUET_COMPRESSION_DEFAULT).toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- running

    /**
     * Writes the table's first data files from every raw file; null (nothing written) when the
     * files need the Java path ({@link #unsupported}, a change sequence with gaps the Java path
     * orders differently) or when DuckDB ran out of memory. Throws, naming the file and row, for a
     * row without a key or with a bad Op, as the Java path does.
     */
    static Outcome run(Table table, TableMapping m, List<RawSchema> loads, List<RawSchema> cdcs, FileIO io) {
        BulkLoad load = new BulkLoad(table, m, loads, cdcs);
        if (load.unsupported() != null) {
            return null;
        }
        Path staging = Path.of(Locations.normalize(table.location()), "data", INTERNAL + "staging-" + UUID.randomUUID());
        List<DataFile> written = new ArrayList<>();
        try (Connection duck = DuckTypes.connect(); Statement sql = duck.createStatement()) {
            Files.createDirectories(staging.getParent()); // DuckDB creates only the last folder
            Path spill = Files.createTempDirectory("lakehouse-duckdb");
            try {
                // (DuckTypes.connect sets the session to UTC: year/month/day/hour of a timestamptz are UTC in Iceberg)
                sql.execute("SET temp_directory = " + DuckTypes.literal(spill.toString()));
                // Partitioned writes: rows go out to the partition files every 131,072 rows instead of
                // DuckDB's 524,288 (13 partitions of 1M rows: 0.34 s, now 0.24 s), and up to 1,000 files
                // stay open (past 100, DuckDB closes one and starts a second file for that partition:
                // 500 partitions gave 1,580 files).
                sql.execute("SET partitioned_write_flush_threshold = " + flushRows);
                sql.execute("SET partitioned_write_max_open_files = 1000");
                if (memoryLimit != null) {
                    sql.execute("SET memory_limit = " + DuckTypes.literal(memoryLimit));
                }
                return load.run(sql, staging, io, written);
            } finally {
                deleteTree(spill);
            }
        } catch (SQLException e) {
            written.forEach(f -> io.deleteFile(f.location()));
            if (String.valueOf(e.getMessage()).contains("Out of Memory")) {
                return null; // a backlog bigger than DuckDB's memory (and its spilling): the Java path works in batches
            }
            throw LakehouseException.failed("Cannot convert " + m.source() + " with the embedded engine: "
                    + firstLine(e) + "; nothing was committed", e);
        } catch (IOException e) {
            written.forEach(f -> io.deleteFile(f.location()));
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            written.forEach(f -> io.deleteFile(f.location()));
            throw e;
        } finally {
            deleteTree(staging);
        }
    }

    private Outcome run(Statement sql, Path staging, FileIO io, List<DataFile> written) throws SQLException, IOException {
        long loadRows = 0;
        String newestLoad = null;
        if (!loads.isEmpty()) {
            Checked c = check(sql, loads, has(loads.get(0), "Op"), true);
            loadRows = c.rows;
            newestLoad = c.newest;
        }
        String newestChange = null;
        String sequence = mapping.changeSequenceColumn() != null && !cdcs.isEmpty() && has(cdcs.get(0), mapping.changeSequenceColumn())
                ? mapping.changeSequenceColumn() : null;
        if (!cdcs.isEmpty()) {
            Checked c = check(sql, cdcs, true, false);
            if (sequence != null && c.missingSequences > 0) {
                return null; // rows without a change sequence: the Java path's order (by position) applies
            }
            newestChange = c.newest;
            sql.execute("CREATE TEMP TABLE " + INTERNAL + "last AS SELECT CAST(" + q("Op") + " AS VARCHAR) AS " + INTERNAL + "op, "
                    + projection(cdcs) + " FROM " + read(cdcs) + " QUALIFY row_number() OVER (PARTITION BY "
                    + mapping.key().stream().map(BulkLoad::q).collect(Collectors.joining(", ")) + " ORDER BY "
                    + (sequence != null ? "CAST(" + q(sequence) + " AS VARCHAR) DESC, " : "")
                    + "file_index DESC, file_row_number DESC) = 1");
        }
        long[] counts = cdcs.isEmpty() ? new long[3] : counts(sql);

        List<String> parts = new ArrayList<>();
        if (!loads.isEmpty()) {
            parts.add("SELECT " + cols("x") + " FROM (" + loadRows() + ") x"
                    + (cdcs.isEmpty() ? "" : " WHERE NOT EXISTS (SELECT 1 FROM " + INTERNAL + "last l WHERE " + keysEqual("l", "x") + ")"));
        }
        if (!cdcs.isEmpty()) {
            parts.add("SELECT " + cols("l") + " FROM " + INTERNAL + "last l WHERE l." + INTERNAL + "op <> 'D'");
        }
        PartitionSpec spec = table.spec();
        StringBuilder select = new StringBuilder("SELECT ").append(cols("r"));
        for (int i = 0; i < spec.fields().size(); i++) {
            select.append(", ").append(partitionValue(spec.fields().get(i))).append(" AS ").append(INTERNAL).append('p').append(i);
        }
        select.append(" FROM (").append(String.join(" UNION ALL ", parts)).append(") r");
        String order = order();
        if (!order.isEmpty()) {
            select.append(" ORDER BY ").append(order);
        }
        String fieldIds = schema.columns().stream().map(f -> q(f.name()) + ": " + f.fieldId()).collect(Collectors.joining(", "));
        StringBuilder options = new StringBuilder("FORMAT parquet, COMPRESSION ").append(codec())
                .append(", FIELD_IDS {").append(fieldIds).append('}');
        if (spec.isPartitioned()) {
            options.append(", PARTITION_BY (").append(IntStream.range(0, spec.fields().size())
                    .mapToObj(i -> INTERNAL + "p" + i).collect(Collectors.joining(", "))).append(')');
        } else {
            options.append(", FILE_SIZE_BYTES ").append(targetFileSize());
        }
        sql.execute("COPY (" + select + ") TO " + DuckTypes.literal(staging.toString()) + " (" + options + ")");
        register(staging, io, written, !order.isEmpty() && fullySorted());
        return new Outcome(List.copyOf(written), loadRows, counts[0], counts[1], counts[2], newestLoad, newestChange);
    }

    /** What a pass over the bookkeeping columns found; a row without a key or with a bad Op stops the table. */
    private record Checked(long rows, String newest, long missingSequences) {
    }

    private Checked check(Statement sql, List<RawSchema> files, boolean hasOp, boolean load) throws SQLException {
        String op = "CAST(" + q("Op") + " AS VARCHAR)";
        String badOp = hasOp ? op + " IS NULL OR " + op + " NOT IN ('I', 'U', 'D')" : "false";
        // LOAD: D rows are skipped before the key is looked at; CDC: every row needs its key
        String applied = load && hasOp ? op + " IS DISTINCT FROM 'D'" : "true";
        String nullKey = "(" + applied + ") AND (" + mapping.key().stream().map(k -> q(k) + " IS NULL")
                .collect(Collectors.joining(" OR ")) + ")";
        String ts = mapping.timestampColumn() != null && files.stream().anyMatch(r -> has(r, mapping.timestampColumn()))
                ? "max(NULLIF(CAST(" + q(mapping.timestampColumn()) + " AS VARCHAR), '')) FILTER (WHERE " + applied + ")"
                : "CAST(NULL AS VARCHAR)";
        String seq = mapping.changeSequenceColumn() != null && files.stream().anyMatch(r -> has(r, mapping.changeSequenceColumn()))
                ? "count(*) FILTER (WHERE NULLIF(CAST(" + q(mapping.changeSequenceColumn()) + " AS VARCHAR), '') IS NULL)"
                : "0";
        try (ResultSet rs = sql.executeQuery("SELECT count(*) FILTER (WHERE " + applied + "), " + ts + ", " + seq
                + ", count(*) FILTER (WHERE " + badOp + "), count(*) FILTER (WHERE " + nullKey + ") FROM " + read(files))) {
            rs.next();
            if (rs.getLong(4) > 0) {
                Located at = first(sql, files, badOp, op);
                throw LakehouseException.failed("Cannot apply " + at.file + ": row " + at.row + " has Op '" + at.value
                        + "' (expected I, U or D)");
            }
            if (rs.getLong(5) > 0) {
                Located at = first(sql, files, nullKey, "NULL");
                throw LakehouseException.failed("Cannot apply " + at.file + ": row " + at.row + " has no value for the key ("
                        + String.join(", ", mapping.key()) + ")");
            }
            return new Checked(rs.getLong(1), rs.getString(2), rs.getLong(3));
        }
    }

    private record Located(String file, long row, String value) {
    }

    /** The first row (apply order) matching a condition: its file as the listing named it, 1-based row. */
    private Located first(Statement sql, List<RawSchema> files, String condition, String value) throws SQLException {
        try (ResultSet rs = sql.executeQuery("SELECT file_index, file_row_number, CAST(" + value + " AS VARCHAR) FROM "
                + read(files) + " WHERE " + condition + " ORDER BY 1, 2 LIMIT 1")) {
            rs.next();
            return new Located(files.get(rs.getInt(1)).file().location(), rs.getLong(2) + 1, rs.getString(3));
        }
    }

    /**
     * Inserted, updated, deleted as the Java path counts one batch: by whether the key was in the
     * LOAD rows (position deletes, copy-on-write) or by the last change's Op (equality deletes).
     */
    private long[] counts(Statement sql) throws SQLException {
        String op = "l." + INTERNAL + "op";
        String query;
        if (mapping.writeMode() == WriteMode.EQUALITY_DELETES) {
            query = "SELECT count(*) FILTER (WHERE " + op + " NOT IN ('U', 'D')), count(*) FILTER (WHERE " + op + " = 'U'),"
                    + " count(*) FILTER (WHERE " + op + " = 'D') FROM " + INTERNAL + "last l";
        } else {
            String existed = loads.isEmpty() ? "false"
                    : "EXISTS (SELECT 1 FROM (" + loadRows() + ") x WHERE " + keysEqual("x", "l") + ")";
            query = "SELECT count(*) FILTER (WHERE op <> 'D' AND NOT existed), count(*) FILTER (WHERE op <> 'D' AND existed),"
                    + " count(*) FILTER (WHERE op = 'D' AND existed) FROM (SELECT " + op + " AS op, " + existed
                    + " AS existed FROM " + INTERNAL + "last l)";
        }
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    /** The LOAD rows that reach the table: D rows (IncludeOpForFullLoad) are skipped, as in the Java path. */
    private String loadRows() {
        String where = has(loads.get(0), "Op") ? " WHERE CAST(" + q("Op") + " AS VARCHAR) IS DISTINCT FROM 'D'" : "";
        return "SELECT " + projection(loads) + " FROM " + read(loads) + where;
    }

    /** The table's columns from a set of raw files: cast to the table type, NULL where no file has them. */
    private String projection(List<RawSchema> files) {
        List<String> out = new ArrayList<>();
        for (Types.NestedField f : schema.columns()) {
            boolean present = !mapping.bookkeepingColumns().contains(f.name()) && files.stream().anyMatch(r -> has(r, f.name()));
            out.add("CAST(" + (present ? q(f.name()) : "NULL") + " AS " + DuckTypes.of(f.type()) + ") AS " + q(f.name()));
        }
        return String.join(", ", out);
    }

    /** The files in apply order; DuckDB's virtual column file_index is a row's file's place in this list. */
    private String read(List<RawSchema> files) {
        return "read_parquet(" + list(files) + ", union_by_name = true, file_row_number = true)";
    }

    private static String list(List<RawSchema> files) {
        return files.stream().map(r -> DuckTypes.literal(Locations.normalize(r.file().location())))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private String cols(String alias) {
        return columns.stream().map(c -> alias + "." + q(c)).collect(Collectors.joining(", "));
    }

    private String keysEqual(String a, String b) {
        return mapping.key().stream().map(k -> a + "." + q(k) + " = " + b + "." + q(k)).collect(Collectors.joining(" AND "));
    }

    /**
     * A partition field's value as Iceberg computes it (ints for the time transforms: years, months,
     * days, hours from 1970 in UTC), or null when DuckDB cannot compute it exactly.
     */
    private String partitionValue(PartitionField f) {
        Types.NestedField source = schema.findField(f.sourceId());
        if (source == null) {
            return null;
        }
        String c = "r." + q(source.name());
        Type.TypeID type = source.type().typeId();
        boolean time = type == Type.TypeID.DATE || type == Type.TypeID.TIMESTAMP;
        boolean integral = type == Type.TypeID.INTEGER || type == Type.TypeID.LONG;
        String transform = f.transform().toString();
        if (transform.equals("identity")) {
            return integral ? c : type == Type.TypeID.DATE ? "date_diff('day', DATE '1970-01-01', " + c + ")" : null;
        }
        if (transform.startsWith("truncate[") && integral) {
            long w = Long.parseLong(transform.substring("truncate[".length(), transform.length() - 1));
            return c + " - (((" + c + " % " + w + ") + " + w + ") % " + w + ")";
        }
        if (!time) {
            return null;
        }
        return switch (transform) {
            case "year" -> "(year(" + c + ") - 1970)";
            case "month" -> "((year(" + c + ") - 1970) * 12 + month(" + c + ") - 1)";
            case "day" -> "date_diff('day', DATE '1970-01-01', CAST(" + c + " AS DATE))";
            case "hour" -> type == Type.TypeID.TIMESTAMP
                    // floor division on integers: an hour before 1970 is negative, a double would round
                    ? "((epoch_us(" + c + ") - (((epoch_us(" + c + ") % 3600000000) + 3600000000) % 3600000000)) // 3600000000)"
                    : null;
            default -> null;
        };
    }

    /** ORDER BY for the table's sort order, as far as it sorts by plain columns. */
    private String order() {
        List<String> terms = new ArrayList<>();
        for (SortField f : table.sortOrder().fields()) {
            Types.NestedField source = schema.findField(f.sourceId());
            if (!f.transform().isIdentity() || source == null) {
                break;
            }
            terms.add("r." + q(source.name()) + (f.direction() == SortDirection.DESC ? " DESC" : " ASC")
                    + (f.nullOrder() == NullOrder.NULLS_FIRST ? " NULLS FIRST" : " NULLS LAST"));
        }
        return String.join(", ", terms);
    }

    private boolean fullySorted() {
        return table.sortOrder().isSorted() && table.sortOrder().fields().stream().allMatch(f -> f.transform().isIdentity());
    }

    private long targetFileSize() {
        return org.apache.iceberg.util.PropertyUtil.propertyAsLong(table.properties(),
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    }

    /**
     * Moves each written file to where the table's location provider puts data files, and describes
     * it for Iceberg: partition from the folder DuckDB wrote it in, metrics from its footer.
     */
    private void register(Path staging, FileIO io, List<DataFile> written, boolean sorted) throws IOException {
        PartitionSpec spec = table.spec();
        MetricsConfig metricsConfig = MetricsConfig.forTable(table);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staging)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        for (Path file : files) {
            ParquetMetadata footer = ParquetFooters.read(io.newInputFile(file.toString()));
            Metrics metrics = ParquetUtil.footerMetrics(footer, Stream.empty(), metricsConfig);
            if (metrics.recordCount() == 0) {
                continue; // DuckDB writes an empty file for an empty result
            }
            StructLike partition = spec.isPartitioned() ? partition(spec, staging.relativize(file.getParent())) : null;
            String name = UUID.randomUUID() + "-bulk.parquet";
            String location = spec.isPartitioned() ? table.locationProvider().newDataLocation(spec, partition, name)
                    : table.locationProvider().newDataLocation(name);
            Path target = Path.of(Locations.normalize(location));
            Files.createDirectories(target.getParent());
            Files.move(file, target);
            DataFiles.Builder builder = DataFiles.builder(spec).withPath(location).withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(Files.size(target)).withMetrics(metrics)
                    .withSplitOffsets(ParquetUtil.getSplitOffsets(footer));
            if (partition != null) {
                builder.withPartition(partition);
            }
            if (sorted) {
                builder.withSortOrder(table.sortOrder());
            }
            written.add(builder.build());
        }
    }

    /** The partition of a folder DuckDB named {@code __lh_p0=V0/__lh_p1=V1}. */
    private static StructLike partition(PartitionSpec spec, Path folder) {
        GenericRecord partition = GenericRecord.create(spec.partitionType());
        for (int i = 0; i < folder.getNameCount(); i++) {
            String segment = folder.getName(i).toString();
            int eq = segment.indexOf('=');
            int index = Integer.parseInt(segment.substring((INTERNAL + "p").length(), eq));
            String value = URLDecoder.decode(segment.substring(eq + 1), StandardCharsets.UTF_8);
            Type type = spec.partitionType().fields().get(index).type();
            partition.set(index, value.equals(NULL_PARTITION) ? null
                    : type.typeId() == Type.TypeID.LONG ? (Object) Long.parseLong(value) : (Object) Integer.parseInt(value));
        }
        return partition;
    }

    private static String q(String identifier) {
        return DuckTypes.quote(identifier);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp folder; 'orphans' finds files left under the table
        }
    }
}
