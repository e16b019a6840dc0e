package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.ByteSize;

/** Checks of option values that picocli's types cannot express, as usage errors naming the option. */
final class Options {
    private Options() {
    }

    static long size(String text, String option) {
        try {
            long bytes = ByteSize.parse(text);
            if (bytes <= 0) {
                throw new IllegalArgumentException("'" + text + "' must be more than 0");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw LakehouseException.usage(option + ": " + e.getMessage());
        }
    }

    static void positive(int value, String option) {
        if (value <= 0) {
            throw LakehouseException.usage(option + ": must be at least 1, not " + value);
        }
    }
}
