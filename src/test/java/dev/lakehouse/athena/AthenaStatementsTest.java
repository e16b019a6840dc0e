package dev.lakehouse.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden text of every statement Athena runs for the heavy jobs. */
class AthenaStatementsTest {
    @Test
    void optimize() {
        assertEquals(List.of("OPTIMIZE \"lakehouse\".\"orders\" REWRITE DATA USING BIN_PACK"),
                AthenaStatements.compact("lakehouse", "orders", null, null));
        assertEquals(List.of(
                        "ALTER TABLE `lakehouse`.`orders` SET TBLPROPERTIES ('write_target_data_file_size_bytes'='268435456')",
                        "OPTIMIZE \"lakehouse\".\"orders\" REWRITE DATA USING BIN_PACK WHERE region = 'eu'"),
                AthenaStatements.compact("lakehouse", "orders", 268435456L, " region = 'eu' "));
    }

    @Test
    void vacuum() {
        assertEquals(List.of(
                        "ALTER TABLE `lakehouse`.`orders` SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='604800',"
                                + " 'vacuum_min_snapshots_to_keep'='10')",
                        "VACUUM lakehouse.orders"),
                AthenaStatements.expire("lakehouse", "orders", Duration.ofDays(7), 10));
        assertEquals("VACUUM lakehouse.`_staging`", AthenaStatements.expire("lakehouse", "_staging", Duration.ofDays(1), 1).get(1));
        // DDL quotes names in backticks; a reserved word as a table name needs them too
        assertEquals(List.of("ALTER TABLE `lakehouse`.`date` SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='86400',"
                + " 'vacuum_min_snapshots_to_keep'='1')", "VACUUM lakehouse.`date`"),
                AthenaStatements.expire("lakehouse", "date", Duration.ofDays(1), 1));
    }

    @Test
    void merge() {
        String sql = AthenaStatements.merge("lakehouse", "orders", AthenaStatements.RawSource.athena("lakehouse_raw", "public__orders"),
                List.of("s3://raw/public/orders/LOAD00000001.parquet", "s3://raw/public/orders/2024/06/01/20240601-120000000.parquet"),
                List.of("order_id"), List.of("order_id", "status", "amount"), "dms_change_seq",
                java.util.Set.of("op", "order_id", "status", "amount", "dms_change_seq"), java.util.Map.of());
        assertEquals("""
                MERGE INTO "lakehouse"."orders" t
                USING (
                  SELECT * FROM (
                    SELECT r.*, row_number() OVER (PARTITION BY r."order_id"
                      ORDER BY CASE WHEN r."$path" LIKE '%/LOAD________.%' THEN 0 ELSE 1 END DESC, r."dms_change_seq" DESC NULLS LAST) AS lakehouse_rank
                    FROM "lakehouse_raw"."public__orders" r
                    WHERE r."$path" IN ('s3://raw/public/orders/LOAD00000001.parquet', 's3://raw/public/orders/2024/06/01/20240601-120000000.parquet')
                  ) ranked WHERE lakehouse_rank = 1
                ) s
                ON t."order_id" = s."order_id"
                WHEN MATCHED AND s."Op" = 'D' THEN DELETE
                WHEN MATCHED THEN UPDATE SET "status" = s."status", "amount" = s."amount"
                WHEN NOT MATCHED AND (s."Op" IS NULL OR s."Op" <> 'D') THEN INSERT ("order_id", "status", "amount")
                  VALUES (s."order_id", s."status", s."amount")""", sql);
    }

    /**
     * A batch of full-load files has no Op column (DMS's default), and a column the source dropped
     * is in no new raw file: the MERGE names neither, or Athena fails with COLUMN_NOT_FOUND.
     */
    @Test
    void merge_of_files_without_op_or_a_dropped_column() {
        String sql = AthenaStatements.merge("lakehouse", "orders", AthenaStatements.RawSource.athena("lakehouse_raw", "public__orders"),
                List.of("s3://raw/public/orders/LOAD00000001.parquet"),
                List.of("order_id"), List.of("order_id", "status", "amount"), "dms_change_seq",
                java.util.Set.of("order_id", "amount", "dms_change_seq"), java.util.Map.of());
        assertEquals("""
                MERGE INTO "lakehouse"."orders" t
                USING (
                  SELECT * FROM (
                    SELECT r.*, row_number() OVER (PARTITION BY r."order_id"
                      ORDER BY CASE WHEN r."$path" LIKE '%/LOAD________.%' THEN 0 ELSE 1 END DESC, r."dms_change_seq" DESC NULLS LAST) AS lakehouse_rank
                    FROM "lakehouse_raw"."public__orders" r
                    WHERE r."$path" IN ('s3://raw/public/orders/LOAD00000001.parquet')
                  ) ranked WHERE lakehouse_rank = 1
                ) s
                ON t."order_id" = s."order_id"
                WHEN MATCHED THEN UPDATE SET "status" = NULL, "amount" = s."amount"
                WHEN NOT MATCHED THEN INSERT ("order_id", "status", "amount")
                  VALUES (s."order_id", NULL, s."amount")""", sql);
    }

    /**
     * A raw column of INT64 TIMESTAMP(MICROS) is declared bigint in Glue (a Hive timestamp would be
     * read at millisecond precision) and turned into a timestamp(6) in the MERGE, keys included.
     */
    @Test
    void merge_converts_microsecond_timestamps_read_as_bigint() {
        String sql = AthenaStatements.merge("lakehouse", "events", AthenaStatements.RawSource.athena("lakehouse_raw", "public__events"),
                List.of("s3://raw/public/events/LOAD00000001.parquet"),
                List.of("at"), List.of("at", "changed", "note"), "dms_change_seq",
                java.util.Set.of("at", "changed", "note", "dms_change_seq"), java.util.Map.of("at", false, "changed", true));
        assertEquals("""
                MERGE INTO "lakehouse"."events" t
                USING (
                  SELECT * FROM (
                    SELECT r.*, row_number() OVER (PARTITION BY r."at"
                      ORDER BY CASE WHEN r."$path" LIKE '%/LOAD________.%' THEN 0 ELSE 1 END DESC, r."dms_change_seq" DESC NULLS LAST) AS lakehouse_rank
                    FROM "lakehouse_raw"."public__events" r
                    WHERE r."$path" IN ('s3://raw/public/events/LOAD00000001.parquet')
                  ) ranked WHERE lakehouse_rank = 1
                ) s
                ON t."at" = CAST(from_unixtime_nanos(CAST(s."at" AS decimal(19, 0)) * 1000) AT TIME ZONE 'UTC' AS timestamp(6))
                WHEN MATCHED THEN UPDATE SET "changed" = CAST(from_unixtime_nanos(CAST(s."changed" AS decimal(19, 0)) * 1000) AT TIME ZONE 'UTC' AS timestamp(6) with time zone), "note" = s."note"
                WHEN NOT MATCHED THEN INSERT ("at", "changed", "note")
                  VALUES (CAST(from_unixtime_nanos(CAST(s."at" AS decimal(19, 0)) * 1000) AT TIME ZONE 'UTC' AS timestamp(6)), CAST(from_unixtime_nanos(CAST(s."changed" AS decimal(19, 0)) * 1000) AT TIME ZONE 'UTC' AS timestamp(6) with time zone), s."note")""", sql);
    }

    /** A MERGE stays under Athena's 262,144-byte query limit however long the raw files' paths are. */
    @Test
    void merges_are_cut_to_fit_athenas_query_size_limit() {
        List<String> shortPaths = new java.util.ArrayList<>();
        List<String> longPaths = new java.util.ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            shortPaths.add("s3://raw/public/orders/2024/06/01/f" + i + ".parquet");
            longPaths.add("s3://raw-bucket-of-a-long-name/dms/" + "deeply/nested/".repeat(20) + "20240601-" + i + ".parquet");
        }
        assertEquals(List.of(1000, 1000, 500), AthenaJobs.batches(shortPaths, p -> p, 1000).stream().map(List::size).toList());
        List<List<String>> cut = AthenaJobs.batches(longPaths, p -> p, 1000);
        assertEquals(2500, cut.stream().mapToInt(List::size).sum(), "every file, once, in order");
        assertEquals(longPaths, cut.stream().flatMap(List::stream).toList());
        for (List<String> batch : cut) {
            String sql = AthenaStatements.merge("lakehouse", "orders", AthenaStatements.RawSource.athena("lakehouse_raw", "t"),
                    batch, List.of("order_id"), List.of("order_id", "status"), "dms_change_seq", java.util.Set.of("order_id", "status"), java.util.Map.of());
            assertTrue(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 262_144, batch.size() + " files");
        }
        assertTrue(cut.size() > 3, "long paths need more, smaller batches: " + cut.size());
    }
}
