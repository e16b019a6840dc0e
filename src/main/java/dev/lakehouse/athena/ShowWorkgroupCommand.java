package dev.lakehouse.athena;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.output.ByteSize;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.athena.model.WorkGroup;

@Command(name = "workgroup",
        header = "Show the env's Athena workgroup: state, enforced configuration, bytes-scanned cutoff, engine version.",
        footerHeading = "%nExamples:%n",
        footer = {"  lakehouse athena workgroup --env prod"})
public final class ShowWorkgroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        AthenaQueries athena = AthenaCommands.queries(ctx);
        WorkGroup w = athena.workgroupSettings();
        var c = w.configuration();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workgroup", w.name());
        m.put("state", w.stateAsString());
        m.put("description", w.description());
        m.put("enforce_workgroup_configuration", c == null ? null : c.enforceWorkGroupConfiguration());
        m.put("bytes_scanned_cutoff_per_query", c == null || c.bytesScannedCutoffPerQuery() == null ? null
                : ByteSize.of(c.bytesScannedCutoffPerQuery()));
        m.put("result_location", c == null || c.resultConfiguration() == null ? null : c.resultConfiguration().outputLocation());
        m.put("result_encryption", c == null || c.resultConfiguration() == null || c.resultConfiguration().encryptionConfiguration() == null
                ? null : c.resultConfiguration().encryptionConfiguration().encryptionOptionAsString());
        m.put("engine_version", c == null || c.engineVersion() == null ? null : c.engineVersion().effectiveEngineVersion());
        m.put("publish_cloudwatch_metrics", c == null ? null : c.publishCloudWatchMetricsEnabled());
        m.put("requester_pays", c == null ? null : c.requesterPaysEnabled());
        m.put("price_per_tb_usd", athena.pricePerTb());
        ctx.output().detail(m);
        return 0;
    }
}
