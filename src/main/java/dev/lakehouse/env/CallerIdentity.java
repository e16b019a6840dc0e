package dev.lakehouse.env;

/** Who the AWS credentials belong to (STS GetCallerIdentity). */
public record CallerIdentity(String account, String arn, String userId) {
}
