package dev.lakehouse.cli;

import dev.lakehouse.Lakehouse;
import dev.lakehouse.env.SystemEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the CLI's common commands in one JVM so that the build can record every class they load
 * into the class-data archive bin/lakehouse starts with (src/build/cds-archive.sh): a dynamic
 * archive records one process, and a query, a first convert (DuckDB), a later convert (Iceberg's
 * Parquet writer, position deletes) and a compaction each load different parts of Iceberg,
 * Parquet, Avro and the drivers. Not a user command.
 * Usage: {@code java -XX:ArchiveClassesAtExit=ARCHIVE -cp lakehouse.jar dev.lakehouse.cli.StartupTraining
 * CONFIG_DIR RAW_ZONE}: CONFIG_DIR holds a throw-away local env (table public.orders) whose raw zone is RAW_ZONE.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        String config = args[0];
        Path table = Path.of(args[1], "public", "orders");
        run(config, "sample", "dms", "--tables", "orders", "--rows", "2000", "--changes", "500");
        // the full load first (the DuckDB pass), then its changes (the Java path), as DMS delivers them
        Path later = Files.createTempDirectory("lakehouse-training");
        List<Path> cdcFolders = folders(table);
        for (Path folder : cdcFolders) {
            Files.move(folder, later.resolve(folder.getFileName()));
        }
        run(config, "iceberg", "convert", "--all");
        for (Path folder : cdcFolders) {
            Files.move(later.resolve(folder.getFileName()), folder);
        }
        Files.delete(later);
        run(config, "iceberg", "convert", "--all");
        run(config, "query", "SELECT status, count(*) AS n FROM orders WHERE order_id > 10 GROUP BY status");
        run(config, "iceberg", "describe", "orders");
        run(config, "iceberg", "compact", "orders");
    }

    private static List<Path> folders(Path table) throws IOException {
        try (Stream<Path> children = Files.list(table)) {
            return new ArrayList<>(children.filter(Files::isDirectory).toList());
        }
    }

    private static void run(String config, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--config-dir", config, "-q"));
        StringWriter errors = new StringWriter();
        int code = Lakehouse.run(args.toArray(String[]::new), SystemEnvironment.current(), InputStream.nullInputStream(),
                new PrintWriter(Writer.nullWriter()), new PrintWriter(errors, true));
        if (code != 0) {
            throw new IllegalStateException("lakehouse " + String.join(" ", command) + " exited " + code + ": " + errors);
        }
    }
}
