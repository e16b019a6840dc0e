package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.AwsSettings;
import dev.lakehouse.env.Environment;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.AwsProperties;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;

/**
 * The Iceberg side of an environment: its catalog, table names resolved against the env's
 * default namespace, and a FileIO for files outside tables (raw zone, Parquet to import).
 */
public final class Warehouse implements AutoCloseable {
    private final Environment env;
    private final Catalog catalog;
    private FileIO files;

    private Warehouse(Environment env, Catalog catalog) {
        this.env = env;
        this.catalog = catalog;
    }

    /** Iceberg's switch for planning scans on its worker pool (read once, when its scan classes load). */
    private static final String PLAN_IN_WORKER_POOL = "iceberg.scan.plan-in-worker-pool";

    public static Warehouse open(Environment env) {
        if (env.isLocal() && System.getProperty(PLAN_IN_WORKER_POOL) == null) {
            // The pool hands manifests to threads and polls their results every 10 ms; a local
            // manifest reads in well under that, so local scans plan in the calling thread (a query
            // over 10 manifests plans in ~5 ms instead of ~30). On S3 the pool's parallel reads pay.
            // The first env opened in a process decides; -Diceberg.scan.plan-in-worker-pool wins.
            System.setProperty(PLAN_IN_WORKER_POOL, "false");
        }
        return new Warehouse(env, Catalogs.open(env));
    }

    public Environment environment() {
        return env;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** {@code namespace.table}, or {@code table} in the env's default namespace. */
    public TableIdentifier identifier(String name) {
        if (name == null || name.isBlank() || name.startsWith(".") || name.endsWith(".")) {
            throw LakehouseException.usage("'" + name + "' is not a table name (use TABLE or NAMESPACE.TABLE)");
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            if (env.namespace() == null) {
                throw LakehouseException.usage("Table '" + name + "' has no namespace and env " + env.name()
                        + " has no default namespace (glue_database): use NAMESPACE.TABLE");
            }
            return TableIdentifier.of(Namespace.of(env.namespace()), name);
        }
        return TableIdentifier.of(Namespace.of(name.substring(0, dot)), name.substring(dot + 1));
    }

    /** Loads a table, or fails with one line naming it and the tables that do exist. */
    public Table load(String name) {
        return load(identifier(name));
    }

    public Table load(TableIdentifier id) {
        try {
            return catalog.loadTable(id);
        } catch (NoSuchTableException e) {
            throw LakehouseException.failed("Table " + id + " does not exist in env " + env.name() + suggestions(id.namespace()), e);
        }
    }

    public boolean exists(TableIdentifier id) {
        return catalog.tableExists(id);
    }

    /** The table, or null when there is none: one catalog call (exists-then-load reads the metadata twice). */
    public Table loadIfExists(TableIdentifier id) {
        try {
            return catalog.loadTable(id);
        } catch (NoSuchTableException e) {
            return null;
        }
    }

    private String suggestions(Namespace namespace) {
        try {
            List<TableIdentifier> tables = catalog.listTables(namespace);
            if (tables.isEmpty()) {
                return " (namespace " + namespace + " has no tables)";
            }
            return " (tables in " + namespace + ": " + tables.stream().map(TableIdentifier::name).sorted()
                    .collect(Collectors.joining(", ")) + ")";
        } catch (NoSuchNamespaceException e) {
            return " (no namespace " + namespace + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Tables of one namespace, or of every namespace when {@code namespace} is null; sorted. */
    public List<TableIdentifier> list(String namespace) {
        List<Namespace> namespaces = new ArrayList<>();
        if (namespace != null) {
            namespaces.add(Namespace.of(namespace));
        } else if (catalog instanceof SupportsNamespaces ns) {
            namespaces.addAll(ns.listNamespaces());
        } else if (env.namespace() != null) {
            namespaces.add(Namespace.of(env.namespace()));
        }
        List<TableIdentifier> tables = new ArrayList<>();
        for (Namespace ns : namespaces) {
            try {
                tables.addAll(catalog.listTables(ns));
            } catch (NoSuchNamespaceException e) {
                if (namespace != null) {
                    throw LakehouseException.failed("Namespace " + namespace + " does not exist in env " + env.name(), e);
                }
            }
        }
        tables.sort(Comparator.comparing(TableIdentifier::toString));
        return tables;
    }

    /**
     * Makes sure a namespace exists before a table is created in it. Local envs create it; on AWS
     * the Glue database belongs to Terraform, so a missing one is an error.
     */
    public void ensureNamespace(Namespace namespace) {
        SupportsNamespaces ns = (SupportsNamespaces) catalog;
        if (ns.namespaceExists(namespace)) {
            return;
        }
        if (!env.isLocal()) {
            throw LakehouseException.failed("Glue database " + namespace + " does not exist in env " + env.name()
                    + ": terraform/ creates the lakehouse databases (or create it yourself)");
        }
        try {
            ns.createNamespace(namespace);
        } catch (RuntimeException e) {
            // created by a concurrent command meanwhile (the JDBC catalog reports a constraint violation)
            if (!ns.namespaceExists(namespace)) {
                throw e;
            }
        }
    }

    /** A FileIO for any location of this env: files on disk (local) or S3 objects (AWS). */
    public synchronized FileIO files() {
        if (files == null) {
            if (env.isLocal()) {
                files = new LocalFileIO();
            } else {
                S3FileIO s3 = new S3FileIO();
                Map<String, String> props = new HashMap<>(AwsSettings.of(env).toProperties());
                props.put(AwsProperties.CLIENT_FACTORY, IcebergAwsClientFactory.class.getName());
                s3.initialize(props);
                files = s3;
            }
        }
        return files;
    }

    @Override
    public void close() {
        if (files != null) {
            files.close();
        }
        if (catalog instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing on the way out
            }
        }
    }
}
