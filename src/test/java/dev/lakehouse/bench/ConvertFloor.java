package dev.lakehouse.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * The floor for the convert benchmark: the same raw Parquet read once and the final state written
 * once as plain Parquet, by DuckDB SQL (last change per key by phase, change sequence, file and row;
 * deletes dropped). No table format, no exactly-once bookkeeping: the least work the job can be.
 * Usage: ConvertFloor RAW_TABLE_FOLDER KEY_COLUMN OUTPUT.parquet
 */
public final class ConvertFloor {
    public static void main(String[] args) throws Exception {
        String folder = args[0];
        String key = args[1];
        String output = args[2];
        long t0 = System.nanoTime();
        String sql = """
                COPY (
                  WITH loads AS (
                    SELECT 0 AS phase, filename AS f, file_row_number AS r, 'I' AS Op, * EXCLUDE (filename, file_row_number)
                    FROM read_parquet('%1$s/LOAD*.parquet', filename = true, file_row_number = true, union_by_name = true)
                  ), cdc AS (
                    SELECT 1 AS phase, filename AS f, file_row_number AS r, * EXCLUDE (filename, file_row_number)
                    FROM read_parquet('%1$s/*/*/*/*.parquet', filename = true, file_row_number = true, union_by_name = true)
                  ), changes AS (SELECT * FROM loads UNION ALL BY NAME SELECT * FROM cdc),
                  latest AS (
                    SELECT * FROM changes
                    QUALIFY row_number() OVER (PARTITION BY %2$s
                                               ORDER BY phase DESC, dms_change_seq DESC NULLS LAST, f DESC, r DESC) = 1
                  )
                  SELECT * EXCLUDE (phase, f, r, Op, dms_commit_ts, dms_change_seq) FROM latest WHERE Op <> 'D'
                ) TO '%3$s' (FORMAT parquet)
                """.formatted(folder, key, output);
        long rows;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement()) {
            s.execute("SET threads = 2");
            s.execute(sql);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + output + "')")) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        System.out.printf(Locale.ROOT, "floor: %d rows in the final state, %.2f s%n", rows, (System.nanoTime() - t0) / 1e9);
    }
}
