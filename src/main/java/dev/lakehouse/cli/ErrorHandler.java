package dev.lakehouse.cli;

import dev.lakehouse.output.OutputFailedException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns every failure into one line on stderr and a documented exit code; {@code --verbose}
 * adds the stack trace and AWS request ids. The only place that decides exit codes for errors.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final GlobalOptions options;

    public ErrorHandler(GlobalOptions options) {
        this.options = options;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        // some picocli messages carry their own "Error: " ("error: Error: Missing required argument")
        String message = String.valueOf(ex.getMessage()).replaceFirst("^Error: ", "");
        String sqlComment = ex instanceof UnmatchedArgumentException unmatched ? leadingSqlComment(unmatched) : null;
        if (sqlComment != null) {
            // lakehouse query "$(cat report.sql)" where the file starts with "-- daily report"
            message = "'" + sqlComment + "' is not an option: give SQL that starts with a -- comment with -f FILE, on stdin,"
                    + " or after the options and --";
        } else if (message.contains("\n")) { // an argument with line breaks: the error stays one line
            message = message.lines().findFirst().orElse("") + " ...'";
        }
        StringBuilder line = new StringBuilder("error: ").append(message);
        if (sqlComment == null && ex instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append(" (did you mean: ").append(String.join(", ", unmatched.getSuggestions())).append("?)");
        }
        line.append("; see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help'");
        err.println(line);
        if (options.verbose) {
            cmd.usage(err);
        }
        err.flush();
        return ExitCode.USAGE.code();
    }

    /** The first line of an unmatched argument that is SQL starting with a {@code --} comment, else null. */
    private static String leadingSqlComment(UnmatchedArgumentException unmatched) {
        for (String arg : unmatched.getUnmatched()) {
            if (arg.startsWith("--") && arg.length() > 2 && (Character.isWhitespace(arg.charAt(2)) || arg.charAt(2) == '-')
                    && arg.contains("\n")) {
                return arg.lines().findFirst().orElse(arg);
            }
        }
        return null;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        ExitCode code = ExitCode.FAILED;
        String message;
        OutputFailedException output = find(ex, OutputFailedException.class);
        if (output != null && output.readerGone()) {
            // `lakehouse query ... | head`: the reader has what it wanted; like --max-rows, not an error
            return ExitCode.OK.code();
        }
        LakehouseException known = find(ex, LakehouseException.class);
        AwsServiceException aws = find(ex, AwsServiceException.class);
        SdkClientException client = find(ex, SdkClientException.class);
        if (known != null) {
            code = known.exitCode();
            message = known.getMessage();
        } else if (output != null) {
            message = output.getMessage();
        } else if (ex instanceof ParameterException pe) {
            return handleParseException(pe, new String[0]);
        } else if (aws != null) {
            var details = aws.awsErrorDetails();
            String service = details == null ? "AWS" : details.serviceName();
            String reason = details == null ? aws.getMessage() : details.errorMessage() + " (" + details.errorCode() + ")";
            message = service + " refused the request: " + reason;
        } else if (client != null) {
            message = describeClientError(client);
        } else {
            Throwable root = rootCause(ex);
            message = "unexpected " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse(""))
                    + (options.verbose ? "" : " (run again with --verbose for details)");
        }
        err.println("error: " + message.lines().findFirst().orElse(message));
        if (options.verbose) {
            if (aws != null && aws.requestId() != null) {
                err.println("AWS request id: " + aws.requestId() + (aws.extendedRequestId() == null ? ""
                        : ", extended request id: " + aws.extendedRequestId()));
            }
            ex.printStackTrace(err);
        }
        err.flush();
        return code.code();
    }

    /**
     * The exit code once the command returned and stdout is flushed: a command that succeeded but
     * whose last output could not be written failed, unless its reader had just gone away.
     */
    public static int afterOutput(int code, PrintWriter out, PrintWriter err) {
        if (!out.checkError() || code != ExitCode.OK.code()) { // checkError flushes first
            return code;
        }
        OutputFailedException failed = OutputFailedException.of(out);
        if (failed.readerGone()) {
            return code;
        }
        err.println("error: " + failed.getMessage());
        err.flush();
        return ExitCode.FAILED.code();
    }

    static String describeClientError(SdkClientException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.startsWith("Unable to load credentials from any of the providers in the chain")) {
            // the SDK's text lists every provider's internals; say where credentials were looked for
            java.util.regex.Matcher profile = java.util.regex.Pattern.compile("profileName=([^,)\\s]+)").matcher(m);
            return "no usable AWS credentials: none in AWS_ACCESS_KEY_ID, "
                    + (profile.find() ? "profile '" + profile.group(1) + "' of ~/.aws" : "the ~/.aws profile")
                    + ", a web identity token or a container or instance role; configure the env's profile"
                    + " (aws configure --profile NAME) or pass --profile";
        }
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("^Profile file contained no credentials for profile '([^']*)'")
                .matcher(m);
        if (named.find()) {
            return "no usable AWS credentials: profile '" + named.group(1) + "' has none in ~/.aws (or AWS_CONFIG_FILE,"
                    + " AWS_SHARED_CREDENTIALS_FILE); configure it (aws configure --profile " + named.group(1) + ") or pass another --profile";
        }
        if (m.contains("Unable to load credentials") || m.contains("Profile file contained no credentials")
                || m.contains("credentials")) {
            return "no usable AWS credentials: " + firstSentence(m)
                    + "; configure the env's profile (aws configure --profile NAME) or pass --profile";
        }
        if (m.contains("UnknownHostException")) {
            return "cannot reach AWS: the endpoint's host name did not resolve; check the network (DNS), the region and AWS_ENDPOINT_URL";
        }
        if (m.contains("Unable to execute HTTP request") || m.contains("Connect")) {
            return "cannot reach AWS: " + firstSentence(m) + "; check the network, the region and AWS_ENDPOINT_URL";
        }
        return "AWS client error: " + firstSentence(m);
    }

    private static String firstSentence(String s) {
        String first = s.lines().findFirst().orElse(s);
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
