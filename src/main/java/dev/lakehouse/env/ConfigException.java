package dev.lakehouse.env;

import dev.lakehouse.cli.ExitCode;
import dev.lakehouse.cli.LakehouseException;

/** A configuration file is wrong: the message names the file, the key and what is allowed. */
public final class ConfigException extends LakehouseException {
    public ConfigException(String message) {
        super(ExitCode.USAGE, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(ExitCode.USAGE, message, cause);
    }
}
