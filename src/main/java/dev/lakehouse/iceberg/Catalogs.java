package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.AwsSettings;
import dev.lakehouse.env.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.aws.AwsProperties;
import org.apache.iceberg.aws.glue.GlueCatalog;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The Iceberg catalog of an environment: on local, a JDBC catalog in a SQLite file over a
 * filesystem warehouse; on AWS, the Glue Data Catalog with S3FileIO.
 */
public final class Catalogs {
    private Catalogs() {
    }

    /** Opens the env's catalog; close it when done. Local directories are created on first use. */
    public static Catalog open(Environment env) {
        return env.isLocal() ? local(env) : glue(env);
    }

    private static Catalog local(Environment env) {
        try {
            Files.createDirectories(java.nio.file.Path.of(env.warehouse()));
            Files.createDirectories(env.catalogDb().getParent());
        } catch (IOException e) {
            throw LakehouseException.failed("Cannot create the local lakehouse directories under "
                    + env.home() + ": " + e.getMessage(), e);
        }
        Map<String, String> props = new HashMap<>();
        props.put(CatalogProperties.URI, "jdbc:sqlite:" + env.catalogDb());
        props.put(CatalogProperties.WAREHOUSE_LOCATION, env.warehouse());
        props.put(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
        props.put("jdbc.schema-version", "V1");
        // Several processes may commit at once (e.g. two converts): wait for SQLite's lock, don't fail.
        props.put("jdbc.busy_timeout", "30000");
        props.put("jdbc.journal_mode", "WAL");
        for (int attempt = 1; ; attempt++) {
            SqliteClientPool[] pool = new SqliteClientPool[1];
            // No Hadoop Configuration: LocalFileIO does not use one, and loading that class looks for
            // hadoop-site.xml in every jar on the class path, opening all ~95 of them.
            JdbcCatalog catalog = new JdbcCatalog(null, p -> pool[0] = new SqliteClientPool(p.get(CatalogProperties.URI), p), true);
            try {
                catalog.initialize("local", props);
                pool[0].initialized();
                return catalog;
            } catch (UncheckedSQLException e) {
                // Two processes creating a new catalog file at once race on its tables; the loser sees them next time.
                closeQuietly(catalog);
                if (attempt >= 3) {
                    throw LakehouseException.failed("Cannot open the local catalog " + env.catalogDb() + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }

    private static void closeQuietly(JdbcCatalog catalog) {
        try {
            catalog.close();
        } catch (Exception ignored) {
            // failed half-way through initialising
        }
    }

    /**
     * Iceberg's JdbcCatalog leaves metadata ResultSets open while it initialises (checking for its
     * tables and columns). On SQLite an unfinished statement pins its connection's read snapshot, so
     * that pooled connection would never see commits made by other processes or catalogs, and its
     * writes would fail. Initialisation therefore runs on throwaway connections.
     */
    static final class SqliteClientPool extends JdbcClientPool {
        private volatile boolean initializing = true;

        SqliteClientPool(String uri, Map<String, String> props) {
            super(uri, props);
        }

        void initialized() {
            initializing = false;
        }

        @Override
        public <R> R run(Action<R, Connection, SQLException> action, boolean retry)
                throws SQLException, InterruptedException {
            if (initializing) {
                try (Connection throwaway = newClient()) {
                    return action.run(throwaway);
                }
            }
            return super.run(action, retry);
        }
    }

    private static Catalog glue(Environment env) {
        if (env.warehouse() == null) {
            throw LakehouseException.failed("env " + env.name() + " has no warehouse location: it comes from the"
                    + " Terraform output 'lakehouse' (key warehouse) or overrides: in " + env.file());
        }
        Map<String, String> props = new HashMap<>(AwsSettings.of(env).toProperties());
        props.put(CatalogProperties.WAREHOUSE_LOCATION, env.warehouse());
        props.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
        props.put(AwsProperties.CLIENT_FACTORY, IcebergAwsClientFactory.class.getName());
        GlueCatalog catalog = new GlueCatalog();
        catalog.initialize("glue", props);
        return catalog;
    }
}
