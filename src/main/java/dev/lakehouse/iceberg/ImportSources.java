package dev.lakehouse.iceberg;

import dev.lakehouse.cli.CliContext;

/** Where a SOURCE argument points: s3:// as given, local paths relative to the working directory. */
final class ImportSources {
    private ImportSources() {
    }

    static String resolve(CliContext ctx, String source) {
        if (source.startsWith("s3://") || source.startsWith("s3a://")) {
            return source;
        }
        return ctx.system().workingDirectory().resolve(source).normalize().toString();
    }
}
