package dev.lakehouse.dms;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.env.Environment;
import dev.lakehouse.output.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "reload",
        header = "Reload chosen tables of a running DMS task (the target tables are loaded again).",
        description = {
            "ReloadTables (ReloadReplicationTables for DMS Serverless) with data-reload: DMS loads each table again"
                + " from the source while the task keeps replicating the others. The task must be running. Destructive on"
                + " the target, so it asks on a terminal and needs --yes otherwise; --validate-only only revalidates"
                + " (when the task has validation on) and changes nothing.",
            "",
            "Tables are named SCHEMA.TABLE as on the source; names the task's table statistics do not know are refused."
                + " 'iceberg convert' notices the new full load files and rebuilds the Iceberg table from them."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse dms reload orders public.orders --env dev --dry-run",
            "  lakehouse dms reload main public.orders public.customers --env prod --yes"})
public final class ReloadTablesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TASK", description = "Name from the env (dms_tasks or dms_replications) or ARN.")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TABLE", description = "Source tables: SCHEMA.TABLE.")
    List<String> tables;

    @Option(names = "--validate-only", description = "Revalidate the tables instead of reloading them (not destructive).")
    boolean validateOnly;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed when stdin is not a terminal).")
    boolean yes;

    @Option(names = "--dry-run", description = "Check the task and the table names; reload nothing.")
    boolean dryRun;

    record Row(String task, String table, String action) {
    }

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        List<Replications.TableRef> refs = tables.stream().map(Replications.TableRef::parse).distinct().toList();
        Environment env = ctx.environment();
        DmsTarget target = DmsTarget.one(env, name, "reload");
        Replications replications = new Replications(ctx.aws().dms());
        ReplicationState state = replications.describe(target);
        // names as DMS spells them: matched ignoring case, but ReloadTables matches exactly and silently
        // reloads nothing for PUBLIC.Orders when the table is public.orders
        java.util.Map<String, Replications.TableRef> known = new java.util.HashMap<>();
        replications.tableStatistics(target).forEach(s -> known.put((s.schemaName() + "." + s.tableName()).toLowerCase(Locale.ROOT),
                new Replications.TableRef(s.schemaName(), s.tableName())));
        if (!known.isEmpty()) {
            List<String> unknown = refs.stream().map(Object::toString)
                    .filter(t -> !known.containsKey(t.toLowerCase(Locale.ROOT))).toList();
            if (!unknown.isEmpty()) {
                throw LakehouseException.usage(target.label() + " does not replicate " + String.join(", ", unknown)
                        + " (its tables: " + known.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
            refs = refs.stream().map(r -> known.get(r.toString().toLowerCase(Locale.ROOT))).distinct().toList();
        }
        String action = validateOnly ? "validate-only" : "data-reload";
        List<Row> rows = new ArrayList<>();
        refs.forEach(r -> rows.add(new Row(target.name(), r.toString(), (dryRun ? "would " : "") + action)));
        if (dryRun) {
            ctx.output().table(rows, columns());
            ctx.console().info("dry run: " + target.name() + " is " + state.status() + (state.running() ? ""
                    : " (a reload needs it running)") + "; nothing was reloaded");
            return 0;
        }
        if (!state.running()) {
            throw LakehouseException.failed("Cannot reload tables of " + target.label() + ": it is " + state.describe()
                    + ", and DMS reloads tables only of a running task (lakehouse dms start " + target.name() + " --wait)");
        }
        String list = refs.stream().map(Object::toString).collect(Collectors.joining(", "));
        if (!validateOnly) {
            ctx.confirm(yes, "reload " + list + " of " + target.label() + " (the target tables are loaded again from the source)");
        }
        ctx.guard((validateOnly ? "revalidate " : "reload ") + list + " of " + target.label());
        replications.reload(target, refs, validateOnly);
        ctx.output().table(rows, columns());
        ctx.console().info(target.name() + ": " + action + " requested for " + list
                + "; follow it with 'lakehouse dms tables " + target.name() + "'");
        return 0;
    }

    private static Columns<Row> columns() {
        return Columns.of(Row.class).add("task", Row::task).add("table", Row::table).add("action", Row::action);
    }
}
