package dev.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lakehouse.env.SystemEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The checked-in files generated from the command tree (bash/zsh completion, the CLI reference in
 * docs/cli/) must match the code. Regenerate them with {@code make generated}, which runs this
 * test with {@code -Dlakehouse.regenerate=true}.
 */
class GeneratedFilesTest {
    static final String HOW_TO_FIX = "regenerate with: make generated   (mvn -q test -Dtest=GeneratedFilesTest -Dlakehouse.regenerate=true)";

    static final Path PROJECT = Path.of(System.getProperty("lakehouse.test.projectDir", ".")).toAbsolutePath();
    static final boolean REGENERATE = Boolean.getBoolean("lakehouse.regenerate");

    static CommandLine commandLine() {
        SystemEnvironment system = new SystemEnvironment(Map.of(), Map.of(), PROJECT, false, false);
        return Lakehouse.commandLine(system, java.io.InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
    }

    /** Every generated file: relative path → expected content. */
    static Map<String, String> generated() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        CommandLine root = commandLine();
        files.put("completions/lakehouse.bash", AutoComplete.bash("lakehouse", root));

        List<CommandLine> commands = new ArrayList<>();
        collect(root, commands);
        StringBuilder index = new StringBuilder("""
                # CLI reference

                Generated from the command tree by picocli's man page generator (`make generated`);
                do not edit by hand. One page per command, in AsciiDoc.

                | command | what it does |
                |---|---|
                """);
        for (CommandLine cmd : commands) {
            var spec = cmd.getCommandSpec();
            String file = spec.qualifiedName("-") + ".adoc";
            StringWriter page = new StringWriter();
            try (PrintWriter pw = new PrintWriter(page)) {
                ManPageGenerator.writeSingleManPage(pw, spec);
            }
            files.put("docs/cli/" + file, page.toString());
            String header = spec.usageMessage().header().length > 0 ? spec.usageMessage().header()[0] : "";
            index.append("| [`").append(spec.qualifiedName()).append("`](").append(file).append(") | ")
                    .append(header.replace("|", "\\|")).append(" |\n");
        }
        files.put("docs/cli/README.md", index.toString());
        return files;
    }

    static void collect(CommandLine cmd, List<CommandLine> into) {
        if (cmd.getCommandSpec().usageMessage().hidden() || cmd.getCommandName().equals("help")) {
            return;
        }
        into.add(cmd);
        cmd.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    @Test
    void checked_in_files_match_the_command_tree() throws IOException {
        Map<String, String> expected = generated();
        List<String> stale = new ArrayList<>();
        for (var e : expected.entrySet()) {
            Path path = PROJECT.resolve(e.getKey());
            String actual = Files.exists(path) ? Files.readString(path) : null;
            if (!e.getValue().equals(actual)) {
                if (REGENERATE) {
                    Files.createDirectories(path.getParent());
                    Files.writeString(path, e.getValue());
                } else {
                    stale.add(e.getKey());
                }
            }
        }
        // pages of commands that no longer exist
        try (Stream<Path> pages = Files.exists(PROJECT.resolve("docs/cli")) ? Files.list(PROJECT.resolve("docs/cli")) : Stream.empty()) {
            for (Path p : pages.toList()) {
                String rel = "docs/cli/" + p.getFileName();
                if (!expected.containsKey(rel)) {
                    if (REGENERATE) {
                        Files.delete(p);
                    } else {
                        stale.add(rel + " (no such command)");
                    }
                }
            }
        }
        if (!stale.isEmpty()) {
            fail("out of date with the command tree: " + String.join(", ", stale) + "; " + HOW_TO_FIX);
        }
        assertEquals(List.of(), stale);
    }
}
