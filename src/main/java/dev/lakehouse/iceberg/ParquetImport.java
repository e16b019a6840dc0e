package dev.lakehouse.iceberg;

import static dev.lakehouse.cli.LakehouseException.firstLine;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * Puts existing Parquet files under an Iceberg table without copying or changing them:
 * {@code snapshot} creates a new table over them, {@code add-files} adds them to a table. Schema and
 * column metrics come from the footers; the files keep their paths. Any bad file stops the whole
 * import before anything is committed.
 */
public final class ParquetImport {
    /** Summary key naming where the files came from. */
    public static final String SOURCE_PROPERTY = "lakehouse.import.source";

    private ParquetImport() {
    }

    public record Result(String table, int files, long records, long bytes, long snapshotId, boolean created) {
    }

    private record SourceFile(String location, long size) {
    }

    private record Footer(SourceFile file, ParquetMetadata metadata, MessageType schema) {
    }

    /** Creates {@code target} over the Parquet files under {@code source}. */
    public static Result snapshot(Warehouse warehouse, String source, TableIdentifier target, List<String> partitionBy,
                                  Progress progress) {
        if (warehouse.exists(target)) {
            throw LakehouseException.failed("Cannot snapshot into " + target + ": the table already exists"
                    + " (use: lakehouse iceberg add-files " + target + " " + source + ")");
        }
        List<Footer> footers = readFooters(warehouse, source, progress);
        Schema schema = withFolderColumns(mergeSchemas(footers), footers, partitionBy, source);
        PartitionSpec spec = PartitionSpecs.parse(schema, partitionBy, "--partition-by");
        warehouse.ensureNamespace(target.namespace());

        Map<String, String> properties = new HashMap<>();
        properties.put(TableProperties.FORMAT_VERSION, "2");
        // The files belong to someone else: expiring snapshots or deleting orphans must never delete them.
        properties.put(TableProperties.GC_ENABLED, "false");
        Transaction txn = warehouse.catalog().newCreateTableTransaction(target, schema, spec, properties);
        Table table = txn.table();
        NameMapping mapping = MappingUtil.create(table.schema());
        txn.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING, NameMappingParser.toJson(mapping)).commit();
        AppendFiles append = txn.newAppend();
        long[] totals = addAll(table, footers, mapping, source, append::appendFile);
        append.set(SOURCE_PROPERTY, source);
        append.commit();
        txn.commitTransaction();
        Table created = warehouse.load(target);
        return new Result(target.toString(), footers.size(), totals[0], totals[1], created.currentSnapshot().snapshotId(), true);
    }

    /** Adds the Parquet files under {@code source} to an existing table; a file already in it is refused. */
    public static Result addFiles(Warehouse warehouse, TableIdentifier target, String source, Progress progress) {
        Table table = warehouse.load(target);
        List<Footer> footers = readFooters(warehouse, source, progress);
        Set<String> present = new HashSet<>();
        TableFiles.forEach(table, table.currentSnapshot(), f -> {
            if (f.content() == FileContent.DATA) {
                present.add(Locations.normalize(f.location()));
            }
        });
        // a file added before and rewritten since (compaction) is not in the current snapshot, but
        // its rows are: every snapshot still kept says which files were ever added
        java.util.Map<String, Long> addedBefore = new java.util.HashMap<>();
        for (org.apache.iceberg.Snapshot snapshot : table.snapshots()) {
            for (org.apache.iceberg.DataFile f : snapshot.addedDataFiles(table.io())) {
                addedBefore.putIfAbsent(Locations.normalize(f.location()), snapshot.snapshotId());
            }
        }
        for (Footer f : footers) {
            String location = Locations.normalize(f.file().location());
            if (present.contains(location)) {
                throw LakehouseException.failed("Cannot add " + f.file().location() + " to " + target
                        + ": the table already has it; nothing was added");
            }
            if (addedBefore.containsKey(location)) {
                throw LakehouseException.failed("Cannot add " + f.file().location() + " to " + target
                        + ": snapshot " + addedBefore.get(location) + " added it and its rows are still in the table"
                        + " (rewritten since, e.g. by compact); nothing was added");
            }
        }
        String mappingJson = table.properties().get(TableProperties.DEFAULT_NAME_MAPPING);
        NameMapping mapping = mappingJson != null ? NameMappingParser.fromJson(mappingJson) : MappingUtil.create(table.schema());
        for (Footer f : footers) {
            checkCompatible(table.schema(), f);
        }
        Transaction txn = table.newTransaction();
        if (mappingJson == null) {
            txn.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING, NameMappingParser.toJson(mapping)).commit();
        }
        AppendFiles append = txn.newAppend();
        long[] totals = addAll(table, footers, mapping, source, append::appendFile);
        append.set(SOURCE_PROPERTY, source);
        append.commit();
        txn.commitTransaction();
        table.refresh();
        return new Result(target.toString(), footers.size(), totals[0], totals[1], table.currentSnapshot().snapshotId(), false);
    }

    private static long[] addAll(Table table, List<Footer> footers, NameMapping mapping, String source,
                                 java.util.function.Consumer<DataFile> sink) {
        PartitionSpec spec = table.spec();
        long records = 0, bytes = 0;
        for (Footer f : footers) {
            checkIds(table.schema(), f);
            Metrics footer = footerMetrics(table, f, mapping);
            Metrics metrics = inMicros(footer, f.schema(), mapping, true);
            DataFiles.Builder b = DataFiles.builder(spec)
                    .withPath(f.file().location())
                    .withFileSizeInBytes(f.file().size())
                    .withFormat(FileFormat.PARQUET)
                    .withMetrics(metrics)
                    .withSplitOffsets(ParquetUtil.getSplitOffsets(f.metadata()));
            if (spec.isPartitioned()) {
                // from the values as Iceberg reads them: a nanosecond upper bound rounded down, as each value is
                // (rounded up, 23:59:59.999999500 would be the next day's midnight and the file two days)
                PartitionData partition = partitionOf(table.schema(), spec, f, inMicros(footer, f.schema(), mapping, false), source);
                b.withPartition(partition);
                b.withMetrics(withFolderValues(table.schema(), spec, partition, metrics, f, source));
            }
            DataFile file = b.build();
            records += file.recordCount();
            bytes += file.fileSizeInBytes();
            sink.accept(file);
        }
        return new long[] {records, bytes};
    }

    /**
     * The footer's bounds of TIMESTAMP(MILLIS) and TIMESTAMP(NANOS) columns in microseconds. Iceberg
     * reads both as its (microsecond) timestamp but keeps their statistics' raw numbers as the
     * bounds: a millisecond file's bounds then sit in January 1970 and a nanosecond file's 1000x
     * too late, and planning skips files with matching rows (so would a day(ts) partition made
     * from them). A nanosecond upper bound is rounded up for pruning (DuckDB compares the nanoseconds),
     * down ({@code upperRoundedUp} false) for the partition values, which Iceberg derives from the
     * microseconds it reads.
     */
    static Metrics inMicros(Metrics metrics, MessageType fileSchema, NameMapping mapping, boolean upperRoundedUp) {
        if (metrics.lowerBounds() == null || metrics.upperBounds() == null) {
            return metrics;
        }
        Map<Integer, ByteBuffer> lower = new HashMap<>(metrics.lowerBounds());
        Map<Integer, ByteBuffer> upper = new HashMap<>(metrics.upperBounds());
        boolean changed = false;
        for (org.apache.parquet.column.ColumnDescriptor column : fileSchema.getColumns()) {
            org.apache.parquet.schema.PrimitiveType primitive = column.getPrimitiveType();
            if (!(primitive.getLogicalTypeAnnotation()
                    instanceof org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts)
                    || ts.getUnit() == org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MICROS) {
                continue;
            }
            Integer id = fieldId(column, mapping);
            if (id == null || !lower.containsKey(id) || !upper.containsKey(id)) {
                continue;
            }
            long lo = lower.get(id).duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            long hi = upper.get(id).duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            boolean millis = ts.getUnit() == org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MILLIS;
            changed = true;
            try {
                lo = millis ? Math.multiplyExact(lo, 1000L) : Math.floorDiv(lo, 1000L);
                hi = millis ? Math.multiplyExact(hi, 1000L) : upperRoundedUp ? -Math.floorDiv(-hi, 1000L) : Math.floorDiv(hi, 1000L);
            } catch (ArithmeticException beyondMicros) { // milliseconds past year ~294,000: no bounds, no pruning
                lower.remove(id);
                upper.remove(id);
                continue;
            }
            lower.put(id, Conversions.toByteBuffer(Types.LongType.get(), lo));
            upper.put(id, Conversions.toByteBuffer(Types.LongType.get(), hi));
        }
        return !changed ? metrics : new Metrics(metrics.recordCount(), metrics.columnSizes(), metrics.valueCounts(),
                metrics.nullValueCounts(), metrics.nanValueCounts(), lower, upper);
    }

    /**
     * The metrics of a file whose identity-partition value came from its folder ({@code region=eu/}):
     * readers take the column's value from the partition, so its statistics are the partition
     * value's, whatever the file holds there (another value, NULLs). The file's own statistics
     * would make planning skip it for a query on its partition value.
     */
    private static Metrics withFolderValues(Schema schema, PartitionSpec spec, PartitionData partition, Metrics metrics,
                                            Footer f, String source) {
        Map<String, String> hive = hiveValues(f.file().location(), source);
        Map<Integer, Long> values = new HashMap<>(metrics.valueCounts() == null ? Map.of() : metrics.valueCounts());
        Map<Integer, Long> nulls = new HashMap<>(metrics.nullValueCounts() == null ? Map.of() : metrics.nullValueCounts());
        Map<Integer, Long> nans = new HashMap<>(metrics.nanValueCounts() == null ? Map.of() : metrics.nanValueCounts());
        Map<Integer, ByteBuffer> lower = new HashMap<>(metrics.lowerBounds() == null ? Map.of() : metrics.lowerBounds());
        Map<Integer, ByteBuffer> upper = new HashMap<>(metrics.upperBounds() == null ? Map.of() : metrics.upperBounds());
        boolean changed = false;
        for (int i = 0; i < spec.fields().size(); i++) {
            PartitionField field = spec.fields().get(i);
            Types.NestedField column = schema.findField(field.sourceId());
            if (!field.transform().isIdentity() || !hive.containsKey(column.name())) {
                continue;
            }
            int id = column.fieldId();
            Object value = partition.get(i, Object.class);
            long rows = metrics.recordCount();
            values.put(id, rows);
            nulls.put(id, value == null ? rows : 0L);
            nans.remove(id);
            lower.remove(id);
            upper.remove(id);
            if (value != null && !(value instanceof Double d && d.isNaN()) && !(value instanceof Float x && x.isNaN())) {
                lower.put(id, Conversions.toByteBuffer(column.type(), value));
                upper.put(id, Conversions.toByteBuffer(column.type(), value));
            }
            changed = true;
        }
        return !changed ? metrics : new Metrics(metrics.recordCount(), metrics.columnSizes(), values, nulls, nans, lower, upper);
    }

    /**
     * Full (untruncated) bounds for partition source columns, so partition values can be derived from
     * them; counts only for {@code countsOnly}, columns whose bounds Iceberg's footer statistics must not read.
     */
    private static MetricsConfig metricsConfig(Table table, Set<Integer> countsOnly) {
        Map<String, String> props = new HashMap<>(table.properties());
        for (PartitionField field : table.spec().fields()) {
            props.put(TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + table.schema().findColumnName(field.sourceId()), "full");
        }
        for (Integer id : countsOnly) {
            props.put(TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + table.schema().findColumnName(id), "counts");
        }
        return MetricsConfig.fromProperties(props);
    }

    /**
     * The file's statistics from its footer. A TIME(MILLIS) column (INT32 milliseconds; Spark and
     * older writers store times so) made Iceberg's footer statistics fail with a ClassCastException,
     * casting the INT32 bounds to its time's long: such columns get counts there, and their bounds,
     * in Iceberg's microseconds, from the row groups' statistics here.
     */
    private static Metrics footerMetrics(Table table, Footer f, NameMapping mapping) {
        Map<Integer, org.apache.parquet.hadoop.metadata.ColumnPath> millis = new LinkedHashMap<>();
        for (org.apache.parquet.column.ColumnDescriptor column : f.schema().getColumns()) {
            org.apache.parquet.schema.PrimitiveType primitive = column.getPrimitiveType();
            if (primitive.getLogicalTypeAnnotation() instanceof org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation t
                    && t.getUnit() == org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MILLIS) {
                Integer id = fieldId(column, mapping);
                if (id != null && table.schema().findField(id) != null) {
                    millis.put(id, org.apache.parquet.hadoop.metadata.ColumnPath.get(column.getPath()));
                }
            }
        }
        Metrics metrics = ParquetUtil.footerMetrics(f.metadata(), Stream.empty(), metricsConfig(table, millis.keySet()), mapping);
        if (millis.isEmpty()) {
            return metrics;
        }
        Map<Integer, ByteBuffer> lower = new HashMap<>(metrics.lowerBounds() == null ? Map.of() : metrics.lowerBounds());
        Map<Integer, ByteBuffer> upper = new HashMap<>(metrics.upperBounds() == null ? Map.of() : metrics.upperBounds());
        millis.forEach((id, path) -> {
            Integer min = null;
            Integer max = null;
            for (var block : f.metadata().getBlocks()) {
                for (var chunk : block.getColumns()) {
                    if (!chunk.getPath().equals(path)) {
                        continue;
                    }
                    var stats = chunk.getStatistics();
                    if (stats == null || (stats.isEmpty() && chunk.getValueCount() > 0)) {
                        return; // a row group without statistics: no bounds, no pruning on the column
                    }
                    if (stats.hasNonNullValue()) {
                        int lo = (Integer) stats.genericGetMin();
                        int hi = (Integer) stats.genericGetMax();
                        min = min == null ? lo : Math.min(min, lo);
                        max = max == null ? hi : Math.max(max, hi);
                    }
                }
            }
            if (min != null && table.schema().findType(id).typeId() == Type.TypeID.TIME) {
                lower.put(id, Conversions.toByteBuffer(Types.TimeType.get(), min * 1000L));
                upper.put(id, Conversions.toByteBuffer(Types.TimeType.get(), max * 1000L));
            }
        });
        return new Metrics(metrics.recordCount(), metrics.columnSizes(), metrics.valueCounts(), metrics.nullValueCounts(),
                metrics.nanValueCounts(), lower, upper);
    }

    /** A file column's Iceberg field id: its own, or the name mapping's for its path. */
    private static Integer fieldId(org.apache.parquet.column.ColumnDescriptor column, NameMapping mapping) {
        org.apache.parquet.schema.PrimitiveType primitive = column.getPrimitiveType();
        if (primitive.getId() != null) {
            return primitive.getId().intValue();
        }
        var mapped = mapping == null ? null : mapping.find(column.getPath());
        return mapped == null ? null : mapped.id();
    }

    /**
     * A file's partition: from Hive-style folders ({@code region=eu/}) for identity fields, else from
     * the column's min/max in the footer, which must fall in one partition.
     */
    private static PartitionData partitionOf(Schema schema, PartitionSpec spec, Footer f, Metrics metrics, String source) {
        PartitionData data = new PartitionData(spec.partitionType());
        Map<String, String> hive = hiveValues(f.file().location(), source);
        for (int i = 0; i < spec.fields().size(); i++) {
            PartitionField field = spec.fields().get(i);
            Types.NestedField column = schema.findField(field.sourceId());
            Type type = column.type();
            if (field.transform().isIdentity() && hive.containsKey(column.name())) {
                String text = hive.get(column.name());
                data.set(i, "__HIVE_DEFAULT_PARTITION__".equals(text) ? null : Conversions.fromPartitionString(type, text));
                continue;
            }
            Long values = metrics.valueCounts() == null ? null : metrics.valueCounts().get(column.fieldId());
            Long nulls = metrics.nullValueCounts() == null ? null : metrics.nullValueCounts().get(column.fieldId());
            if (values != null && values.equals(nulls)) {
                data.set(i, null);
                continue;
            }
            ByteBuffer lower = metrics.lowerBounds() == null ? null : metrics.lowerBounds().get(column.fieldId());
            ByteBuffer upper = metrics.upperBounds() == null ? null : metrics.upperBounds().get(column.fieldId());
            if (lower == null || upper == null || (nulls != null && nulls > 0)) {
                throw LakehouseException.failed("Cannot partition " + f.file().location() + " by " + field.transform()
                        + "(" + column.name() + "): the footer has no single value for it (no statistics, or NULLs mixed"
                        + " with values); nothing was committed");
            }
            @SuppressWarnings("unchecked")
            Transform<Object, Object> transform = (Transform<Object, Object>) field.transform();
            var bound = transform.bind(type);
            Object lo = bound.apply(Conversions.fromByteBuffer(type, lower));
            Object hi = bound.apply(Conversions.fromByteBuffer(type, upper));
            if (!java.util.Objects.equals(lo, hi)) {
                throw LakehouseException.failed("Cannot partition " + f.file().location() + " by " + field.transform()
                        + "(" + column.name() + "): it holds several partitions (" + lo + " .. " + hi + ");"
                        + " nothing was committed");
            }
            data.set(i, lo);
        }
        return data;
    }

    /**
     * A Hive layout keeps a partition column in its folder names ({@code region=eu/}) and often not
     * in its files: an identity {@code --partition-by} field that no footer has but the folders do
     * becomes a string column (Hive's folder values are text; the metastore's declared type is not
     * here). Each file's value is then its partition's, which readers take from the metadata.
     */
    private static Schema withFolderColumns(Schema schema, List<Footer> footers, List<String> partitionBy, String source) {
        List<Types.NestedField> columns = new java.util.ArrayList<>(schema.columns());
        int id = schema.highestFieldId();
        for (String field : partitionBy) {
            String name = field.trim();
            if (name.isEmpty() || !name.matches("[A-Za-z_][A-Za-z0-9_]*") || schema.findField(name) != null) {
                continue; // a transform, or a column the files have
            }
            boolean inFolders = footers.stream().anyMatch(f -> hiveValues(f.file().location(), source).containsKey(name));
            if (inFolders && columns.stream().noneMatch(c -> c.name().equals(name))) {
                columns.add(Types.NestedField.optional(++id, name, Types.StringType.get()));
            }
        }
        return columns.size() == schema.columns().size() ? schema : new Schema(columns);
    }

    private static Map<String, String> hiveValues(String location, String source) {
        Map<String, String> values = new HashMap<>();
        String normalizedSource = Locations.normalize(source);
        String relative = Locations.normalize(location);
        if (relative.startsWith(normalizedSource)) {
            relative = relative.substring(normalizedSource.length());
        }
        String[] parts = relative.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                values.put(parts[i].substring(0, eq), java.net.URLDecoder.decode(parts[i].substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** Every *.parquet file under {@code source} (a folder, prefix or one file), sorted by location. */
    private static List<SourceFile> list(Warehouse warehouse, String source) {
        boolean s3 = source.startsWith("s3://") || source.startsWith("s3a://");
        if (warehouse.environment().isLocal() == s3) {
            throw LakehouseException.usage("Cannot import '" + source + "' on env " + warehouse.environment().name()
                    + ": " + (s3 ? "a local env reads files on disk, not S3" : "an AWS env reads s3:// locations"));
        }
        List<SourceFile> files = new ArrayList<>();
        if (!s3) {
            Path path = Path.of(source).toAbsolutePath().normalize();
            if (Files.isRegularFile(path)) {
                files.add(new SourceFile(path.toString(), size(path)));
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(p -> isParquet(p.toString()))
                            .forEach(p -> files.add(new SourceFile(p.toString(), size(p))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                throw LakehouseException.failed("Cannot import '" + source + "': no such file or directory");
            }
        } else {
            FileIO io = warehouse.files();
            if (isParquet(source)) {
                files.add(new SourceFile(source, io.newInputFile(source).getLength()));
            } else {
                for (FileInfo info : ((SupportsPrefixOperations) io).listPrefix(Locations.folder(source))) {
                    if (isParquet(info.location())) {
                        files.add(new SourceFile(info.location(), info.size()));
                    }
                }
            }
        }
        files.sort(java.util.Comparator.comparing(SourceFile::location));
        if (files.isEmpty()) {
            throw LakehouseException.failed("Cannot import '" + source + "': no Parquet files (*.parquet) there");
        }
        return files;
    }

    private static boolean isParquet(String location) {
        String name = Locations.fileName(location);
        return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Footer> readFooters(Warehouse warehouse, String source, Progress progress) {
        List<SourceFile> files = list(warehouse, source);
        progress.total(files.size());
        List<Footer> footers = new ArrayList<>();
        for (SourceFile file : files) {
            try {
                ParquetMetadata md = ParquetFooters.read(warehouse.files().newInputFile(file.location(), file.size()));
                footers.add(new Footer(file, md, md.getFileMetaData().getSchema()));
            } catch (IOException | RuntimeException e) {
                throw LakehouseException.failed("Cannot read the Parquet footer of " + file.location() + ": "
                        + firstLine(e) + "; nothing was committed", e);
            }
            progress.advance(1);
        }
        return footers;
    }

    /** One schema for all files: columns by name, in first-seen order; safe widening only. */
    static Schema mergeSchemas(List<Footer> footers) {
        Map<String, Type> types = new LinkedHashMap<>();
        Map<String, Integer> requiredIn = new HashMap<>();
        Map<String, String> firstSeenIn = new HashMap<>();
        for (Footer f : footers) {
            for (Types.NestedField col : ParquetSchemaUtil.convert(f.schema()).columns()) {
                if (col.isRequired()) {
                    requiredIn.merge(col.name(), 1, Integer::sum);
                }
                Type known = types.get(col.name());
                if (known == null) {
                    types.put(col.name(), col.type());
                    firstSeenIn.put(col.name(), f.file().location());
                    continue;
                }
                Type wider = wider(known, col.type());
                if (wider == null) {
                    throw LakehouseException.failed("Cannot merge the schemas of the Parquet files: column '" + col.name()
                            + "' is " + shape(known) + " in " + firstSeenIn.get(col.name()) + " but "
                            + shape(col.type()) + " in " + f.file().location() + "; nothing was committed");
                }
                types.put(col.name(), wider);
            }
        }
        // required only where every file has the column and declares it required; missing means NULL
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (var e : types.entrySet()) {
            boolean required = requiredIn.getOrDefault(e.getKey(), 0) == footers.size();
            fields.add(required ? Types.NestedField.required(id++, e.getKey(), e.getValue())
                    : Types.NestedField.optional(id++, e.getKey(), e.getValue()));
        }
        return TypeUtil.assignIncreasingFreshIds(new Schema(fields));
    }

    /** The type both can be read as, or null: equal types, int→long, float→double, wider decimal. */
    static Type wider(Type a, Type b) {
        if (shape(a).equals(shape(b))) {
            return a;
        }
        if (a.isPrimitiveType() && b.isPrimitiveType()) {
            if (TypeUtil.isPromotionAllowed(a, b.asPrimitiveType())) {
                return b;
            }
            if (TypeUtil.isPromotionAllowed(b, a.asPrimitiveType())) {
                return a;
            }
        }
        return null;
    }

    /** A type as text without field ids, so files with different (fallback) ids compare by structure. */
    static String shape(Type type) {
        if (type.isPrimitiveType()) {
            return type.toString();
        }
        if (type.isStructType()) {
            StringBuilder b = new StringBuilder("struct<");
            for (Types.NestedField f : type.asStructType().fields()) {
                b.append(f.name()).append(':').append(shape(f.type())).append(',');
            }
            return b.append('>').toString();
        }
        if (type.isListType()) {
            return "list<" + shape(type.asListType().elementType()) + ">";
        }
        return "map<" + shape(type.asMapType().keyType()) + "," + shape(type.asMapType().valueType()) + ">";
    }

    /** Files carrying Parquet field ids are read by id: those ids must be the table's. */
    private static void checkIds(Schema tableSchema, Footer f) {
        if (!ParquetSchemaUtil.hasIds(f.schema())) {
            return;
        }
        for (org.apache.parquet.schema.Type field : f.schema().getFields()) {
            Types.NestedField col = tableSchema.findField(field.getName());
            if (field.getId() == null || col == null || col.fieldId() != field.getId().intValue()) {
                throw LakehouseException.failed("Cannot import " + f.file().location() + ": it carries Parquet field ids"
                        + " that do not match the table's (column '" + field.getName() + "'), so readers would"
                        + " misread it; nothing was committed");
            }
        }
    }

    /** add-files: each file column exists in the table with a type readable as the table's; required columns are present. */
    private static void checkCompatible(Schema tableSchema, Footer f) {
        Schema fileSchema = ParquetSchemaUtil.convert(f.schema());
        for (Types.NestedField col : fileSchema.columns()) {
            Types.NestedField tableCol = tableSchema.findField(col.name());
            if (tableCol == null) {
                throw LakehouseException.failed("Cannot add " + f.file().location() + ": column '" + col.name()
                        + "' is not in the table (columns: " + String.join(", ",
                        tableSchema.columns().stream().map(Types.NestedField::name).toList()) + "); nothing was added");
            }
            Type wider = wider(col.type(), tableCol.type());
            if (wider == null || !shape(wider).equals(shape(tableCol.type()))) {
                throw LakehouseException.failed("Cannot add " + f.file().location() + ": column '" + col.name() + "' is "
                        + shape(col.type()) + " but the table has " + shape(tableCol.type()) + "; nothing was added");
            }
        }
        for (Types.NestedField tableCol : tableSchema.columns()) {
            if (tableCol.isRequired() && fileSchema.findField(tableCol.name()) == null) {
                throw LakehouseException.failed("Cannot add " + f.file().location() + ": it lacks the required column '"
                        + tableCol.name() + "'; nothing was added");
            }
        }
    }
}
