package dev.lakehouse.env;

import dev.lakehouse.cli.CliContext;
import dev.lakehouse.cli.HelpOption;
import dev.lakehouse.cli.LakehouseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "whoami",
        header = "Show the AWS identity of the env's credentials and whether it is the env's account.",
        description = "Calls STS GetCallerIdentity with the env's profile and region. Exits 3 when the account"
                + " is not the env's account_id: the same check (the account guard) that every command changing"
                + " AWS state makes first. The local env needs no AWS identity.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  lakehouse whoami --env dev",
            "  lakehouse whoami --env prod --profile prod-admin",
            "  lakehouse whoami --env prod -q; [ $? -eq 3 ] && echo 'wrong account'"})
public final class WhoamiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Environment env = ctx.environmentWithoutState();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("env", env.name());
        fields.put("type", env.kind().name());
        if (env.isLocal()) {
            fields.put("aws_identity", null);
            fields.put("note", "env " + env.name() + " runs on this machine and needs no AWS identity");
            ctx.output().detail(fields);
            return 0;
        }
        CallerIdentity caller = AccountGuard.callerIdentity(ctx.aws());
        boolean matches = env.accountId().equals(caller.account());
        fields.put("account", caller.account());
        fields.put("arn", caller.arn());
        fields.put("user_id", caller.userId());
        fields.put("env_account", env.accountId());
        fields.put("account_matches", matches);
        fields.put("profile", env.profile());
        fields.put("region", env.region());
        ctx.output().detail(fields);
        if (!matches) {
            throw LakehouseException.checkFailed("the AWS credentials are for account " + caller.account() + " but "
                    + env.file() + " declares account_id " + env.accountId()
                    + ": commands that change env " + env.name() + " will refuse to run");
        }
        return 0;
    }
}
