package dev.lakehouse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.iceberg.Warehouse;
import dev.lakehouse.testing.LakehouseFixture;
import dev.lakehouse.testing.TestTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan made while DuckDB starts, pruned by the query's conditions afterwards, must be the plan
 * Iceberg makes with those conditions: the same data files, each with the same delete files.
 */
class EarlyPlansTest {
    @TempDir
    Path dir;

    static final LocalQueryEngine.TimeTravel NOW = LocalQueryEngine.TimeTravel.current();

    @Test
    void a_whole_plan_pruned_by_the_conditions_is_icebergs_filtered_plan() {
        LakehouseFixture fx = LakehouseFixture.local(dir);
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.builderFor(TestTables.ORDERS).identity("region").build(),
                    Map.of("format-version", "2"));
            List<DataFile> first = TestTables.appendFiles(t, 0, 2, 30);  // ids 0-59, each region in each file
            TestTables.appendFiles(t, 60, 2, 30);                        // ids 60-119
            TestTables.deletePositions(t, first.get(0), 0, 1);            // eu partition of the first file
            TestTables.deleteIds(t, List.of(3L, 5L, 70L, 71L, 100L));      // one equality delete file per region
            // a second spec: later files partitioned by an id bucket and by day as well (earlier ones keep
            // theirs); a bucket prunes where column bounds cannot
            t.updateSpec().addField(Expressions.bucket("id", 4)).addField(Expressions.day("created_at")).commit();
            TestTables.appendFiles(t, 120, 1, 3000);                      // ids 120-3119, over three days
            TestTables.deleteIds(t, List.of(130L, 2900L));
            t.refresh();

            EarlyPlans early = EarlyPlans.until(new CompletableFuture<>(), w,
                    TimeTravelClauses.rewrite("SELECT * FROM orders"), NOW);
            List<FileScanTask> whole = early.planned(w.identifier("orders"), t.currentSnapshot());
            assertNotNull(whole, "DuckDB never got ready here: the table is planned whole");

            List<Expression> filters = List.of(
                    Expressions.alwaysTrue(),
                    Expressions.equal("region", "eu"),
                    Expressions.in("region", "us", "ap"),
                    Expressions.and(Expressions.greaterThanOrEqual("id", 60L), Expressions.lessThan("id", 90L)),
                    Expressions.equal("id", 5L),
                    Expressions.lessThan("id", 0L),
                    Expressions.greaterThan("created_at", "2024-01-02T12:00:00+00:00"),
                    Expressions.or(Expressions.equal("region", "eu"), Expressions.equal("id", 2000L)),
                    Expressions.and(Expressions.equal("region", "ap"), Expressions.greaterThan("id", 2500L)),
                    Expressions.isNull("customer"),
                    Expressions.startsWith("customer", "customer-9"));
            int pruning = 0;
            for (Expression filter : filters) {
                Map<String, Set<String>> expected = icebergPlan(t, filter);
                List<IcebergViews.PlannedFile> pruned = EarlyPlans.prune(t, whole, filter);
                assertNotNull(pruned, filter.toString());
                Map<String, Set<String>> actual = new TreeMap<>();
                pruned.forEach(f -> actual.put(f.file().location(), locations(f.deletes())));
                assertEquals(expected, actual, filter.toString());
                pruning += expected.size() < whole.size() ? 1 : 0;
            }
            assertTrue(pruning >= 8, "most conditions prune some files, so the comparison shows something");
            assertTrue(whole.stream().anyMatch(task -> task.deletes().size() > 1), "files with several deletes");
            // a condition on a column the table lacks does not bind: Iceberg plans the table itself then
            assertNull(EarlyPlans.prune(t, whole, Expressions.equal("no_such_column", 1)));
        }
    }

    @Test
    void the_tables_are_guessed_from_the_names_after_from_and_join() {
        var travel = TimeTravelClauses.rewrite("SELECT * FROM lakehouse.orders FOR VERSION AS OF 42 o JOIN customers c ON o.c = c.id"
                + " WHERE o.id IN (SELECT id FROM \"Returns\") AND extract(year FROM o.created_at) = 2024"
                + " UNION ALL SELECT * FROM read_parquet('x.parquet') UNION ALL SELECT * FROM (SELECT 1)");
        assertEquals(List.of(
                        new EarlyPlans.Guess("lakehouse.orders", new LocalQueryEngine.TimeTravel(42L, null, null)),
                        new EarlyPlans.Guess("customers", NOW),
                        new EarlyPlans.Guess("Returns", NOW),
                        new EarlyPlans.Guess("o.created_at", NOW)), // a column: the warehouse has no such table
                EarlyPlans.guesses(travel, NOW));
    }

    @Test
    void nothing_is_planned_once_duckdb_is_ready_and_unknown_names_are_left_to_the_parse() {
        LakehouseFixture fx = LakehouseFixture.local(dir);
        try (Warehouse w = fx.warehouse()) {
            Table t = TestTables.createOrders(w, "orders", PartitionSpec.unpartitioned(), Map.of());
            TestTables.appendFiles(t, 0, 1, 10);
            TableIdentifier orders = w.identifier("orders");
            var query = TimeTravelClauses.rewrite("SELECT * FROM orders JOIN missing USING (id) JOIN orders FOR VERSION AS OF 1 x ON true");

            EarlyPlans ready = EarlyPlans.until(CompletableFuture.completedFuture(null), w, query, NOW);
            assertTrue(ready.loaded().isEmpty());
            assertNull(ready.planned(orders, t.currentSnapshot()));

            EarlyPlans waiting = EarlyPlans.until(new CompletableFuture<>(), w, query, NOW);
            assertEquals(Set.of(orders), waiting.loaded().keySet(), "missing is no table, snapshot 1 no snapshot: no failure here");
            assertEquals(1, waiting.planned(orders, t.currentSnapshot()).size());

            var unterminated = EarlyPlans.until(new CompletableFuture<>(), w, TimeTravelClauses.rewrite("SELECT * FROM \""), NOW);
            assertTrue(unterminated.loaded().isEmpty());
        }
        // the parse reports such a text, as before: it crashed with StringIndexOutOfBoundsException here
        var r = fx.cli().run("query", "SELECT * FROM orders WHERE customer IS DISTINCT FROM \"");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.errorLine().startsWith("error: Cannot parse the query: unterminated quoted identifier"), r.errorLine());
    }

    private static Map<String, Set<String>> icebergPlan(Table t, Expression filter) {
        Map<String, Set<String>> plan = new TreeMap<>();
        try (CloseableIterable<FileScanTask> tasks = t.newScan().filter(filter).ignoreResiduals().planFiles()) {
            tasks.forEach(task -> plan.put(task.file().location(), locations(task.deletes())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return plan;
    }

    private static Set<String> locations(List<? extends org.apache.iceberg.ContentFile<?>> files) {
        Set<String> set = new TreeSet<>();
        files.forEach(f -> set.add(f.location()));
        return set;
    }

}
