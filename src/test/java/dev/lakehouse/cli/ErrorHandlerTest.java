package dev.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The SDK's client errors as one line a user can act on. The messages are the SDK's own (2.x), as it
 * words them when no provider in its default chain has credentials and when a host does not resolve:
 * neither can be made to happen against the emulator (the tests' config always holds credentials,
 * and the emulator is on loopback).
 */
class ErrorHandlerTest {
    @Test
    void no_credentials_anywhere_in_the_default_chain() {
        String sdk = "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain("
                + "credentialsProviders=[SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider(),"
                + " WebIdentityTokenCredentialsProvider(), ProfileCredentialsProvider(profileName=default, profileFile="
                + "ProfileFile(sections=[])), ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) : ["
                + "SystemPropertyCredentialsProvider(): Unable to load credentials from system settings. Access key must be"
                + " specified either via environment variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId).]";
        assertEquals("no usable AWS credentials: none in AWS_ACCESS_KEY_ID, profile 'default' of ~/.aws, a web identity token"
                + " or a container or instance role; configure the env's profile (aws configure --profile NAME) or pass --profile",
                ErrorHandler.describeClientError(SdkClientException.create(sdk)));
    }

    @Test
    void a_host_that_does_not_resolve() {
        String sdk = "Received an UnknownHostException when attempting to interact with a service. See cause for the exact"
                + " endpoint that is failing to resolve. If this is happening on an endpoint that previously worked, there may"
                + " be a network connectivity issue or your DNS cache could be storing endpoints for too long.";
        assertEquals("cannot reach AWS: the endpoint's host name did not resolve; check the network (DNS), the region and"
                + " AWS_ENDPOINT_URL", ErrorHandler.describeClientError(SdkClientException.create(sdk)));
    }
}
