package dev.lakehouse.iceberg;

import dev.lakehouse.athena.AthenaJobs;
import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.DurationOption;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.convert.Converter;
import dev.lakehouse.env.Environment;
import dev.lakehouse.env.TableMapping;
import dev.lakehouse.env.TablesFile;
import dev.lakehouse.output.Columns;
import dev.lakehouse.output.Progress;
import dev.lakehouse.query.QueryCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "convert",
        header = "Apply what AWS DMS wrote to the raw zone to Iceberg tables, exactly once.",
        description = {
            "For each table of environments/ENV/tables.yaml: every LOAD file (in counter order) before any CDC file"
                + " (in file-name order), rows in file order, or by the change-sequence column when the files carry"
                + " one; never by the timestamp column. The last change per key wins: I and U upsert, D deletes."
                + " LOAD files that replace ones already applied mean DMS reloaded the table: its content is replaced.",
            "",
            "Each batch of changes is one Iceberg commit that also records which raw files it applied, so a re-run"
                + " (after a crash, a kill, or with nothing new) applies each file exactly once. New columns in the raw"
                + " files are added to the table; int to long, float to double and wider decimals are applied; any"
                + " other type change stops that table (file named, table untouched) while the others convert.",
            "",
            "On the local env a table's first convert (the full load and the changes so far) runs in one pass of the"
                + " embedded DuckDB engine and one commit; later runs apply new changes in batches (docs/convert.md).",
            "",
            "Prints per table: raw files applied, rows inserted, updated and deleted, the newest source commit time"
                + " applied (the data's freshness). Exit 1 if any table failed."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse iceberg convert --all --dry-run",
            "  lakehouse iceberg convert orders",
            "  lakehouse iceberg convert --all --env dev -o json"})
public final class ConvertTableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "TABLE", arity = "1..*",
                description = "Tables to convert: Iceberg NAMESPACE.TABLE or TABLE, or the source SCHEMA.TABLE.")
        List<String> tables;

        @Option(names = "--all", required = true, description = "Every table of tables.yaml.")
        boolean all;
    }

    @Option(names = "--dry-run", description = "Show what would be applied (files, reloads, rows; with Athena, the MERGE"
            + " statements); change nothing.")
    boolean dryRun;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "local (in this process, default) or athena: the raw folder becomes a Glue table and one MERGE INTO per"
                    + " 1,000 raw files applies them (needs the change-sequence column; a reload needs the local engine).")
    String engine;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --engine athena: stop waiting on a statement after this long (exit 4).")
    String timeout;

    record Row(String table, String source, String status, int files, long inserted, long updated, long deleted,
               Instant newestCommit, int commits, boolean reload, String error) {
    }

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Duration limit = DurationOption.positiveIfGiven(timeout, "--timeout");
        Environment env = ctx.environment();
        List<TableMapping> mappings = select(env, TablesFile.load(env));
        if (!dryRun) {
            ctx.guard("convert raw files into Iceberg tables");
        }
        if (AthenaEngine.chosen(engine, ctx)) {
            return withAthena(ctx, env, mappings, limit);
        }
        int failed = 0;
        try (Warehouse warehouse = Warehouse.open(env)) {
            if (dryRun) {
                List<Converter.Plan> plans = new ArrayList<>();
                for (TableMapping m : mappings) {
                    plans.add(new Converter(warehouse, Progress.none()).plan(m));
                }
                ctx.output().table(plans, Columns.of(Converter.Plan.class)
                        .add("table", Converter.Plan::table)
                        .add("source", Converter.Plan::source)
                        .add("load_files", Converter.Plan::loadFiles)
                        .add("reload", Converter.Plan::reload)
                        .add("cdc_files", Converter.Plan::cdcFiles)
                        .add("superseded_cdc_files", Converter.Plan::supersededCdcFiles)
                        .add("estimated_rows", Converter.Plan::estimatedRows)
                        .add("ignored_files", Converter.Plan::ignoredFiles));
                return 0;
            }
            List<Row> rows = new ArrayList<>();
            for (TableMapping m : mappings) {
                try (Progress progress = new Progress(ctx.console(), "converting " + m.source(), 0, "raw files")) {
                    Converter.Result r = new Converter(warehouse, progress).convert(m);
                    rows.add(new Row(r.table(), r.source(), r.files() == 0 ? "up-to-date" : "converted", r.files(),
                            r.inserted(), r.updated(), r.deleted(), r.newestCommit(), r.commits(), r.reload(), null));
                } catch (LakehouseException e) {
                    if (mappings.size() == 1) {
                        throw e; // one table: its own message is the error line
                    }
                    failed++;
                    ctx.console().warn(e.getMessage());
                    rows.add(new Row(m.target(), m.source(), "failed", 0, 0, 0, 0, null, 0, false, e.getMessage()));
                }
            }
            ctx.output().table(rows, Columns.of(Row.class)
                    .add("table", Row::table)
                    .add("source", Row::source)
                    .add("status", Row::status)
                    .add("files", Row::files)
                    .add("inserted", Row::inserted)
                    .add("updated", Row::updated)
                    .add("deleted", Row::deleted)
                    .add("newest_commit", Row::newestCommit)
                    .add("commits", Row::commits)
                    .add("reload", Row::reload)
                    .addJsonOnly("error", Row::error));
        }
        if (failed > 0) {
            throw LakehouseException.failed(failed == mappings.size()
                    ? "convert failed for all " + failed + " tables (see above)"
                    : failed + " of " + mappings.size() + " tables failed to convert (see above); the others were converted");
        }
        return 0;
    }

    record AthenaRow(String table, String status, int files, int statements, String error) {
    }

    private int withAthena(CliContext ctx, Environment env, List<TableMapping> mappings, Duration limit) {
        if (env.rawDatabase() == null) {
            throw LakehouseException.failed("env " + env.name() + " has no glue_raw_database (Terraform output or overrides):"
                    + " Athena reads the raw zone through a Glue table there");
        }
        var athena = new AthenaJobs(QueryCommand.queries(ctx, env), ctx.console());
        List<AthenaRow> rows = new ArrayList<>();
        int failed = 0;
        try (Warehouse warehouse = Warehouse.open(env)) {
            for (TableMapping m : mappings) {
                Converter converter = new Converter(warehouse, Progress.none());
                try {
                    var plan = athena.convert(converter, ctx.aws(), m, env.rawDatabase(), converter.folder(m), dryRun, limit,
                            batch -> ctx.console().info("applied " + batch.size() + " raw files of " + m.source()));
                    if (dryRun) {
                        plan.statements().forEach(s -> ctx.out().println(s + ";\n"));
                    }
                    rows.add(new AthenaRow(m.target(), plan.files() == 0 ? "up-to-date" : dryRun ? "would-convert" : "converted",
                            plan.files(), plan.statements().size(), null));
                } catch (LakehouseException e) {
                    if (mappings.size() == 1) {
                        throw e; // one table: its own message is the error line
                    }
                    failed++;
                    ctx.console().warn(e.getMessage());
                    rows.add(new AthenaRow(m.target(), "failed", 0, 0, e.getMessage()));
                }
            }
        }
        if (!dryRun) {
            ctx.output().table(rows, Columns.of(AthenaRow.class)
                    .add("table", AthenaRow::table)
                    .add("status", AthenaRow::status)
                    .add("files", AthenaRow::files)
                    .add("statements", AthenaRow::statements)
                    .addJsonOnly("error", AthenaRow::error));
        }
        if (failed > 0) {
            throw LakehouseException.failed(failed + " of " + mappings.size() + " tables failed to convert with Athena (see above)");
        }
        return 0;
    }

    private List<TableMapping> select(Environment env, List<TableMapping> all) {
        if (all.isEmpty()) {
            throw LakehouseException.usage("env " + env.name() + " has no tables to convert: add environments/" + env.name()
                    + "/" + TablesFile.FILE + " (see docs/convert.md)");
        }
        if (which.all) {
            return all;
        }
        List<TableMapping> selected = new ArrayList<>();
        for (String name : which.tables) {
            TableMapping match = all.stream().filter(m -> m.source().equals(name) || m.target().equals(name)
                    || m.target().endsWith("." + name) && !name.contains(".")).findFirst().orElse(null);
            if (match == null) {
                throw LakehouseException.usage("No table '" + name + "' in environments/" + env.name() + "/"
                        + TablesFile.FILE + " (tables: " + String.join(", ", all.stream().map(TableMapping::target).toList()) + ")");
            }
            selected.add(match);
        }
        return selected;
    }
}
