package dev.lakehouse.bench;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The convert job done the usual way: Spark local mode, full load into an Iceberg table (CTAS),
 * then the CDC files deduplicated to the last change per key (by the change sequence) and applied
 * with one MERGE INTO (merge-on-read, like convert's default).
 * Usage: SparkMergeBench RAW_TABLE_FOLDER WAREHOUSE_DIR
 */
public final class SparkMergeBench {
    public static void main(String[] args) {
        String folder = args[0];
        String warehouse = args[1];
        long t0 = System.nanoTime();
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("lakehouse-convert-anchor")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog.bench", "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog.bench.type", "hadoop")
                .config("spark.sql.catalog.bench.warehouse", warehouse)
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        spark.sql("CREATE TABLE bench.db.orders USING iceberg TBLPROPERTIES ("
                + "'format-version'='2', 'write.delete.mode'='merge-on-read', 'write.update.mode'='merge-on-read',"
                + " 'write.merge.mode'='merge-on-read')"
                + " AS SELECT order_id, customer_id, status, amount, currency, ordered_at"
                + " FROM parquet.`" + folder + "/LOAD*.parquet`");
        spark.read().option("mergeSchema", "true").parquet(folder + "/*/*/*/*.parquet").createOrReplaceTempView("cdc_raw");
        spark.sql("ALTER TABLE bench.db.orders ADD COLUMN discount decimal(5,2)");
        spark.sql("CREATE OR REPLACE TEMP VIEW cdc AS SELECT * FROM (SELECT *, row_number() OVER"
                + " (PARTITION BY order_id ORDER BY dms_change_seq DESC) AS rn FROM cdc_raw) WHERE rn = 1");
        spark.sql("MERGE INTO bench.db.orders t USING cdc s ON t.order_id = s.order_id"
                + " WHEN MATCHED AND s.Op = 'D' THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET t.customer_id = s.customer_id, t.status = s.status,"
                + " t.amount = s.amount, t.currency = s.currency, t.ordered_at = s.ordered_at, t.discount = s.discount"
                + " WHEN NOT MATCHED AND s.Op <> 'D' THEN INSERT (order_id, customer_id, status, amount, currency,"
                + " ordered_at, discount) VALUES (s.order_id, s.customer_id, s.status, s.amount, s.currency,"
                + " s.ordered_at, s.discount)");
        long rows = spark.sql("SELECT count(*) FROM bench.db.orders").first().getLong(0);
        spark.stop();
        System.out.printf(Locale.ROOT, "spark: %d rows in the final state, %.2f s%n", rows, (System.nanoTime() - t0) / 1e9);
    }
}
