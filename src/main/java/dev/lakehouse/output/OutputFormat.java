package dev.lakehouse.output;

/** How results are written to stdout. */
public enum OutputFormat {
    /** Aligned columns a person can read. */
    table,
    /** Stable snake_case field names, for scripts and jq. */
    json,
    /** RFC 4180, header row first. */
    csv
}
