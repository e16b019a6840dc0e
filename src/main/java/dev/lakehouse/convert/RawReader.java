package dev.lakehouse.convert;

import static dev.lakehouse.cli.LakehouseException.firstLine;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.RawFiles.Format;
import dev.lakehouse.convert.RawFiles.Kind;
import dev.lakehouse.env.TableMapping;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Function;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Reads the rows of one raw file, in file order, into the table's columns: DMS bookkeeping columns
 * go to {@link RawRow}'s fields, columns the table lacks are dropped, columns the file lacks are
 * NULL, values are widened (int to long...) or parsed from CSV text into the table's types.
 */
final class RawReader implements Iterator<RawRow>, Closeable {
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private final RawSchema raw;
    private final Schema table;
    private final TableMapping mapping;
    private final int opIndex;
    private final int seqIndex;
    private final int tsIndex;
    private final int[] source;
    private final Function<Object, Object>[] convert;
    private final Iterator<Object[]> rows;
    private final Closeable closer;
    /** Copied per row: GenericRecord.create looks its name index up in a cache keyed by the whole struct. */
    private final GenericRecord template;
    private long rowNumber;

    @SuppressWarnings("unchecked")
    RawReader(FileIO io, RawSchema raw, Schema table, TableMapping mapping) {
        this.raw = raw;
        this.table = table;
        this.mapping = mapping;
        List<Types.NestedField> rawColumns = raw.schema().columns();
        this.opIndex = indexOf(rawColumns, "Op");
        this.seqIndex = mapping.changeSequenceColumn() == null ? -1 : indexOf(rawColumns, mapping.changeSequenceColumn());
        this.tsIndex = mapping.timestampColumn() == null ? -1 : indexOf(rawColumns, mapping.timestampColumn());
        if (opIndex < 0 && raw.file().kind() == Kind.CDC && !rawColumns.isEmpty()) {
            throw LakehouseException.failed("Cannot apply " + raw.file().location() + ": a CDC file without an Op column"
                    + " (the DMS target needs the Op column: it is always there in CDC files)");
        }
        List<Types.NestedField> tableColumns = table.columns();
        this.template = GenericRecord.create(table);
        this.source = new int[tableColumns.size()];
        this.convert = new Function[tableColumns.size()];
        boolean csv = raw.file().format() == Format.CSV;
        for (int i = 0; i < tableColumns.size(); i++) {
            Types.NestedField col = tableColumns.get(i);
            source[i] = indexOf(rawColumns, col.name());
            if (source[i] >= 0) {
                Type from = rawColumns.get(source[i]).type();
                convert[i] = csv ? text(col.type(), mapping.csvNullValue()) : widen(from, col.type());
            }
        }
        try {
            if (csv) {
                InputStream in = RawSchema.open(io, raw.file());
                MappingIterator<Object[]> it = CSV.readerFor(Object[].class).with(CsvSchema.emptySchema())
                        .readValues(new InputStreamReader(in, StandardCharsets.UTF_8));
                if (mapping.csvHeader() && it.hasNext()) {
                    it.next();
                }
                this.rows = it;
                this.closer = it;
            } else {
                CloseableIterable<Record> records = Parquet.read(io.newInputFile(raw.file().location(), raw.file().size()))
                        .project(raw.schema())
                        .withNameMapping(MappingUtil.create(raw.schema()))
                        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(raw.schema(), fileSchema))
                        .reuseContainers() // values are copied out of each record at once (bytes too: detached)
                        .build();
                Iterator<Record> it = records.iterator();
                int n = rawColumns.size();
                this.rows = new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Object[] next() {
                        Record r = it.next();
                        Object[] values = new Object[n];
                        for (int i = 0; i < n; i++) {
                            values[i] = detached(r.get(i));
                        }
                        return values;
                    }
                };
                this.closer = records;
            }
        } catch (IOException | RuntimeException e) {
            throw LakehouseException.failed("Cannot read " + raw.file().location() + ": " + firstLine(e), e);
        }
    }

    /**
     * A value that outlives the reader's next row. With reused containers Iceberg's readers write a
     * binary or fixed value into the previous row's buffer, and change rows are kept until the
     * commit: without a copy every kept row held the last row's bytes.
     */
    private static Object detached(Object v) {
        if (v instanceof java.nio.ByteBuffer b) {
            java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocate(b.remaining());
            copy.put(b.duplicate()).flip();
            return copy;
        }
        return v instanceof byte[] bytes ? bytes.clone() : v;
    }

    private static int indexOf(List<Types.NestedField> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean hasNext() {
        try {
            return rows.hasNext();
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public RawRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Object[] values;
        try {
            values = rows.next();
        } catch (RuntimeException e) {
            throw failure(e);
        }
        rowNumber++;
        char op = 'L';
        if (opIndex >= 0) {
            String o = text(values, opIndex);
            if (o == null || o.length() != 1 || "IUD".indexOf(o.charAt(0)) < 0) {
                throw LakehouseException.failed("Cannot apply " + raw.file().location() + ": row " + rowNumber
                        + " has Op '" + o + "' (expected I, U or D)");
            }
            op = o.charAt(0);
        }
        GenericRecord row = template.copy();
        for (int i = 0; i < source.length; i++) {
            int j = source[i];
            if (j >= 0 && j < values.length && values[j] != null) {
                try {
                    row.set(i, convert[i].apply(values[j]));
                } catch (RuntimeException e) {
                    throw LakehouseException.failed("Cannot apply " + raw.file().location() + ": row " + rowNumber
                            + ", column " + table.columns().get(i).name() + ": '" + values[j] + "' is not a "
                            + table.columns().get(i).type() + " (" + firstLine(e) + ")");
                }
            }
        }
        String seq = seqIndex >= 0 ? text(values, seqIndex) : null;
        String ts = tsIndex >= 0 ? text(values, tsIndex) : null;
        return new RawRow(op, seq == null || seq.isEmpty() ? null : seq, ts, row);
    }

    long rowNumber() {
        return rowNumber;
    }

    private static String text(Object[] values, int i) {
        return i < values.length && values[i] != null ? values[i].toString() : null;
    }

    private LakehouseException failure(RuntimeException e) {
        return LakehouseException.failed("Cannot read " + raw.file().location() + " after row " + rowNumber + ": "
                + firstLine(e) + " (truncated or corrupt?)", e);
    }

    /** Typed raw values (Parquet) to the table's possibly wider type. */
    static Function<Object, Object> widen(Type from, Type to) {
        if (from.equals(to)) {
            return v -> v;
        }
        if (to.typeId() == Type.TypeID.LONG && from.typeId() == Type.TypeID.INTEGER) {
            return v -> ((Integer) v).longValue();
        }
        if (to.typeId() == Type.TypeID.DOUBLE && from.typeId() == Type.TypeID.FLOAT) {
            return v -> ((Float) v).doubleValue();
        }
        if (to.typeId() == Type.TypeID.DECIMAL) {
            int scale = ((Types.DecimalType) to).scale();
            return v -> ((BigDecimal) v).setScale(scale, RoundingMode.UNNECESSARY);
        }
        return v -> v;
    }

    /** CSV text to a table type. Without CsvNullValue an empty field is NULL; with it, only that marker is. */
    static Function<Object, Object> text(Type to, String nullValue) {
        Function<String, Object> parse = switch (to.typeId()) {
            case STRING -> s -> s;
            case INTEGER -> Integer::valueOf;
            case LONG -> Long::valueOf;
            case FLOAT -> Float::valueOf;
            case DOUBLE -> Double::valueOf;
            case BOOLEAN -> RawReader::bool;
            case DECIMAL -> s -> new BigDecimal(s).setScale(((Types.DecimalType) to).scale(), RoundingMode.UNNECESSARY);
            case DATE -> LocalDate::parse;
            case TIME -> LocalTime::parse;
            case TIMESTAMP -> ((Types.TimestampType) to).shouldAdjustToUTC()
                    ? s -> timestamp(s).atOffset(ZoneOffset.UTC)
                    : RawReader::timestamp;
            case UUID -> UUID::fromString;
            default -> s -> {
                throw new IllegalArgumentException(to + " columns cannot be read from CSV");
            };
        };
        return v -> {
            String s = v.toString();
            if (nullValue != null ? s.equals(nullValue) : s.isEmpty()) {
                return null;
            }
            return to.typeId() == Type.TypeID.STRING ? s : parse.apply(s.trim());
        };
    }

    private static Object bool(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "t", "true", "1", "y", "yes" -> Boolean.TRUE;
            case "f", "false", "0", "n", "no" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    /**
     * DMS writes {@code yyyy-MM-dd HH:mm:ss[.ffffff]}; ISO-8601 with a T is accepted too, and a time
     * with an offset ({@code Z}, {@code +02}, {@code +02:00}, as PostgreSQL prints timestamptz) is
     * read as its UTC time.
     */
    static LocalDateTime timestamp(String s) {
        String t = s.replaceFirst(" ", "T");
        java.util.regex.Matcher offset = OFFSET.matcher(t);
        if (offset.find()) { // ZoneOffset reads +02, +0200, +02:00 and Z alike
            return LocalDateTime.parse(t.substring(0, offset.start())).atOffset(ZoneOffset.of(offset.group(1)))
                    .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return LocalDateTime.parse(t);
    }

    /** An offset at the end of a time: Z, +02, -0530, +05:30 (after the seconds or their fraction). */
    private static final java.util.regex.Pattern OFFSET =
            java.util.regex.Pattern.compile("(?<=\\d)\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)$");

    @Override
    public void close() throws IOException {
        closer.close();
    }
}
