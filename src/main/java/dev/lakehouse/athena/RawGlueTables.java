package dev.lakehouse.athena;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.RawSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type.Repetition;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * The raw zone of one source table as a Glue table Athena can read: Parquet files under
 * RAW_ZONE/schema/table/ (all of them, LOAD and CDC, in every date folder), columns merged from
 * the files' own schemas. Created or updated by convert --engine athena.
 */
public final class RawGlueTables {
    private RawGlueTables() {
    }

    /** The raw table's name: {@code schema__table} (Glue names are lower case). */
    public static String name(String sourceSchema, String sourceTable) {
        return (sourceSchema + "__" + sourceTable).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The columns (lower case) some raw file stores as INT64 TIMESTAMP(MICROS) (DMS's default,
     * ParquetTimestampInMillisecond=false), each mapped to whether it is adjusted to UTC
     * (timestamptz). Athena reads a Hive (Glue) {@code timestamp} column at millisecond precision
     * (Trino's hive.timestamp-precision default, which Athena does not let a query change), rounding
     * the microseconds away; read as {@code bigint}, the same column gives the microseconds since the
     * epoch unchanged, and the MERGE turns them into a timestamp(6) ({@link AthenaStatements}). A
     * column that is MICROS in some files and MILLIS (or INT96) in others cannot be declared for
     * both, so it is refused.
     */
    public static Map<String, Boolean> microsColumns(String source, List<RawSchema> files) {
        Map<String, Boolean> micros = new LinkedHashMap<>();
        Set<String> other = new HashSet<>();
        for (RawSchema f : files) {
            if (f.footer() == null) {
                continue;
            }
            for (org.apache.parquet.schema.Type t : f.footer().getFileMetaData().getSchema().getFields()) {
                if (!t.isPrimitive() || t.isRepetition(Repetition.REPEATED)) {
                    continue;
                }
                PrimitiveType p = t.asPrimitiveType();
                String n = t.getName().toLowerCase(Locale.ROOT);
                if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
                        && p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    if (ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS) {
                        micros.put(n, ts.isAdjustedToUTC());
                    } else {
                        other.add(n);
                    }
                } else if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
                    other.add(n);
                }
            }
        }
        for (String n : micros.keySet()) {
            if (other.contains(n)) {
                throw LakehouseException.failed("Cannot convert " + source + " with Athena: raw column " + n + " is TIMESTAMP(MICROS) in"
                        + " some files and another timestamp encoding (MILLIS, NANOS or INT96) in others; one Glue table cannot"
                        + " read both exactly: convert in-process (--engine local)");
            }
        }
        return micros;
    }

    /** @param microsColumns columns declared {@code bigint} (see {@link #microsColumns}) */
    public static void ensure(GlueClient glue, String database, String name, String location, List<Schema> fileSchemas,
                              Set<String> microsColumns) {
        Map<String, Type> columns = new LinkedHashMap<>();
        for (Schema s : fileSchemas) {
            for (Types.NestedField f : s.columns()) {
                columns.putIfAbsent(f.name(), f.type());
            }
        }
        List<Column> glueColumns = new ArrayList<>();
        columns.forEach((n, t) -> {
            String lower = n.toLowerCase(Locale.ROOT);
            // INT64 TIMESTAMP(MICROS) read as bigint: its microseconds, which a Hive timestamp (millisecond) would round away
            String type = t.typeId() == Type.TypeID.TIMESTAMP && microsColumns.contains(lower) ? "bigint" : hive(t);
            glueColumns.add(Column.builder().name(lower).type(type).build());
        });
        TableInput input = TableInput.builder()
                .name(name)
                .tableType("EXTERNAL_TABLE")
                .parameters(Map.of("classification", "parquet", "lakehouse.raw", "true"))
                .storageDescriptor(sd -> sd
                        .location(location.endsWith("/") ? location : location + "/")
                        .columns(glueColumns)
                        .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                        .serdeInfo(serde -> serde.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")))
                .build();
        try {
            glue.getTable(r -> r.databaseName(database).name(name));
            glue.updateTable(r -> r.databaseName(database).tableInput(input));
        } catch (EntityNotFoundException missing) {
            try {
                glue.createTable(r -> r.databaseName(database).tableInput(input));
            } catch (EntityNotFoundException noDatabase) {
                throw LakehouseException.failed("Glue database " + database + " (glue_raw_database) does not exist:"
                        + " terraform/ creates it", noDatabase);
            }
        }
    }

    /** Hive's name for an Iceberg type. */
    static String hive(Type type) {
        return switch (type.typeId()) {
            case BOOLEAN -> "boolean";
            case INTEGER -> "int";
            case LONG -> "bigint";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(" + ((Types.DecimalType) type).precision() + "," + ((Types.DecimalType) type).scale() + ")";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BINARY, FIXED -> "binary";
            default -> "string";
        };
    }
}
