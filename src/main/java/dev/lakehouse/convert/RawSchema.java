package dev.lakehouse.convert;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.RawFiles.Format;
import dev.lakehouse.convert.RawFiles.Kind;
import dev.lakehouse.convert.RawFiles.RawFile;
import dev.lakehouse.env.TableMapping;
import dev.lakehouse.iceberg.ParquetFooters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The columns of one raw file, in file order, with their types: from the Parquet footer, or for
 * CSV from the header (names) and the table's declared columns (types). Includes DMS's
 * bookkeeping columns (Op, timestamp, change sequence); knows the file's row count when it can.
 */
public record RawSchema(RawFile file, Schema schema, long rows, ParquetMetadata footer) {

    public static RawSchema of(FileIO io, RawFile file, TableMapping mapping) {
        return file.format() == Format.PARQUET ? parquet(io, file) : csv(io, file, mapping);
    }

    private static RawSchema parquet(FileIO io, RawFile file) {
        if (file.gzip()) {
            throw LakehouseException.failed("Cannot read " + file.location() + ": gzipped Parquet files are not supported"
                    + " (DMS compresses Parquet inside the file; set ParquetCompression, not a .gz suffix)");
        }
        try {
            ParquetMetadata footer = ParquetFooters.read(io.newInputFile(file.location(), file.size()));
            long rows = footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
            return new RawSchema(file, ParquetSchemaUtil.convert(footer.getFileMetaData().getSchema()), rows, footer);
        } catch (IOException | RuntimeException e) {
            throw LakehouseException.failed("Cannot read the Parquet footer of " + file.location() + ": "
                    + LakehouseException.firstLine(e) + " (truncated or not Parquet?)", e);
        }
    }

    private static RawSchema csv(FileIO io, RawFile file, TableMapping m) {
        if (m.columns().isEmpty()) {
            throw LakehouseException.failed("Cannot read " + file.location() + ": CSV files carry no types, so table "
                    + m.source() + " needs columns: (name and type of each column) in tables.yaml");
        }
        List<String> names = new ArrayList<>();
        if (m.csvHeader()) {
            String header = firstLine(io, file);
            if (header == null) {
                return new RawSchema(file, new Schema(), 0, null);
            }
            for (String h : header.split(",", -1)) {
                names.add(unquote(h.trim()));
            }
        } else {
            boolean hasOp = file.kind() == Kind.CDC || m.includeOpForFullLoad();
            if (hasOp) {
                names.add("Op");
            }
            if (m.timestampColumn() != null) {
                names.add(m.timestampColumn());
            }
            m.columns().forEach(c -> names.add(c.name()));
            if (m.changeSequenceColumn() != null) {
                names.add(m.changeSequenceColumn());
            }
        }
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (String name : names) {
            Type type = Types.StringType.get();
            if (!m.bookkeepingColumns().contains(name)) {
                TableMapping.Column declared = m.columns().stream().filter(c -> c.name().equals(name)).findFirst()
                        .orElseThrow(() -> LakehouseException.failed("Cannot read " + file.location() + ": its header names"
                                + " column '" + name + "', which the columns: of " + m.source() + " in tables.yaml do not declare"));
                type = type(declared, m);
            }
            fields.add(Types.NestedField.optional(id++, name, type));
        }
        // CSV row count is unknown until read: estimate from the size for batching
        return new RawSchema(file, new Schema(fields), Math.max(1, file.size() / 64), null);
    }

    static Type type(TableMapping.Column c, TableMapping m) {
        try {
            return Types.fromPrimitiveString(c.type().trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw LakehouseException.usage("tables.yaml: " + m.source() + ": column " + c.name() + ": unknown type '"
                    + c.type() + "' (e.g. long, int, string, decimal(12,2), date, timestamp, timestamptz, boolean, double)");
        }
    }

    private static String firstLine(FileIO io, RawFile file) {
        try (InputStream in = open(io, file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line = r.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            return line;
        } catch (IOException e) {
            throw LakehouseException.failed("Cannot read " + file.location() + ": " + e.getMessage(), e);
        }
    }

    /** The file's bytes, un-gzipped when it ends in .gz. */
    static InputStream open(FileIO io, RawFile file) throws IOException {
        InputStream in = io.newInputFile(file.location(), file.size()).newStream();
        return file.gzip() ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }
}
