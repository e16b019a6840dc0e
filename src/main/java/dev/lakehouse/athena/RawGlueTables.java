package dev.lakehouse.athena;

import dev.lakehouse.cli.LakehouseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
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

    public static void ensure(GlueClient glue, String database, String name, String location, List<Schema> fileSchemas) {
        Map<String, Type> columns = new LinkedHashMap<>();
        for (Schema s : fileSchemas) {
            for (Types.NestedField f : s.columns()) {
                columns.putIfAbsent(f.name(), f.type());
            }
        }
        List<Column> glueColumns = new ArrayList<>();
        columns.forEach((n, t) -> glueColumns.add(Column.builder().name(n.toLowerCase(java.util.Locale.ROOT)).type(hive(t)).build()));
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
