package dev.lakehouse.dms;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.ConvertState;
import dev.lakehouse.env.Environment;
import dev.lakehouse.env.TableMapping;
import dev.lakehouse.env.TablesFile;
import dev.lakehouse.iceberg.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * End-to-end freshness of the Iceberg tables a DMS task feeds: the newest source commit time that
 * {@code iceberg convert} has applied to each (kept in the table's snapshot summary), and how old
 * it is. The tables are those of the env's tables.yaml whose source the task's selection rules
 * include (every table when the task's mappings are unknown and the env has one task).
 */
public final class Freshness implements AutoCloseable {
    /**
     * @param newestCommit newest source commit applied by convert, or null (never converted, or no timestamp column)
     * @param age          now minus newestCommit
     * @param problem      why it is unknown, or null
     */
    public record Table(String source, String table, Instant newestCommit, Duration age, String problem) {
    }

    private final Environment env;
    private final List<TableMapping> mappings;
    private final int targets;
    private Warehouse warehouse;

    /** @param targets how many DMS tasks and replications the env names */
    public Freshness(Environment env, int targets) {
        this.env = env;
        this.mappings = TablesFile.load(env);
        this.targets = targets;
    }

    /** The tables fed by a task, with their freshness; empty when the env has no tables.yaml. */
    public List<Table> of(ReplicationState task, Instant now) {
        TableSelection selection = TableSelection.parse(task.tableMappings());
        List<Table> tables = new ArrayList<>();
        for (TableMapping m : mappings) {
            boolean fed = selection != null ? selection.includes(m.sourceSchema(), m.sourceTable()) : targets == 1;
            if (fed) {
                tables.add(freshness(m, now));
            }
        }
        return tables;
    }

    private Table freshness(TableMapping m, Instant now) {
        try {
            if (warehouse == null) {
                warehouse = Warehouse.open(env);
            }
            var id = warehouse.identifier(m.target());
            org.apache.iceberg.Table table = warehouse.loadIfExists(id);
            if (table == null) {
                return new Table(m.source(), m.target(), null, null, "no Iceberg table yet: run 'lakehouse iceberg convert'");
            }
            Instant newest = ConvertState.read(table).newestCommit();
            if (newest == null) {
                return new Table(m.source(), m.target(), null, null, m.timestampColumn() == null
                        ? "no timestamp_column in tables.yaml: convert cannot tell commit times"
                        : "convert has applied no change with a commit time yet");
            }
            return new Table(m.source(), m.target(), newest, Duration.between(newest, now), null);
        } catch (RuntimeException e) {
            return new Table(m.source(), m.target(), null, null, "cannot read the table: " + LakehouseException.firstLine(e));
        }
    }

    @Override
    public void close() {
        if (warehouse != null) {
            warehouse.close();
        }
    }
}
