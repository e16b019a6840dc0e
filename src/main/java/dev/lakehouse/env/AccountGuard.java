package dev.lakehouse.env;

import dev.lakehouse.cli.LakehouseException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The check every state-changing AWS command makes first: the caller's account must be the
 * env's declared {@code account_id}, so a wrong profile cannot change another account.
 */
public final class AccountGuard {
    private AccountGuard() {
    }

    public static CallerIdentity callerIdentity(AwsClients aws) {
        GetCallerIdentityResponse r = aws.sts().getCallerIdentity();
        return new CallerIdentity(r.account(), r.arn(), r.userId());
    }

    /**
     * Refuses (exit 1) unless the credentials belong to the env's account. Local envs have no
     * account and always pass.
     *
     * @param action what is about to happen, for the message (e.g. "start DMS task orders")
     */
    public static void check(Environment env, AwsClients aws, String action) {
        if (env.isLocal()) {
            return;
        }
        CallerIdentity caller = callerIdentity(aws);
        if (!env.accountId().equals(caller.account())) {
            throw LakehouseException.failed("Refusing to " + action + " on env " + env.name()
                    + ": the AWS credentials are for account " + caller.account() + " (" + caller.arn() + ") but "
                    + env.file() + " declares account_id " + env.accountId()
                    + "; use the env's profile (--profile) or fix account_id");
        }
    }
}
