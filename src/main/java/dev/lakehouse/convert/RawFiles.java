package dev.lakehouse.convert;

import dev.lakehouse.iceberg.Locations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * The files DMS wrote for one source table, classified and put in apply order: every LOAD file
 * (by its hexadecimal counter) before any CDC file (by the time in its name). Paths do not decide
 * the order: date folders like 2024/06/01/ sort before LOAD as text, and MMYYYYDD folders would not
 * even sort by date.
 */
public final class RawFiles {
    static final Pattern LOAD = Pattern.compile("LOAD([0-9A-Fa-f]{8})\\.(csv|parquet)(\\.gz)?");
    /** yyyyMMdd-HHmmssSSS, or with a longer fraction. */
    static final Pattern CDC = Pattern.compile("(\\d{8})-(\\d{6})(\\d*)\\.(csv|parquet)(\\.gz)?");

    public enum Kind { LOAD, CDC }

    public enum Format { PARQUET, CSV }

    /**
     * One raw file.
     *
     * @param relative path under the table folder (e.g. {@code 2024/06/01/20240601-120000123.parquet})
     * @param order    apply-order key within its kind: LOAD counter, or CDC time digits
     */
    public record RawFile(String location, String relative, Kind kind, Format format, boolean gzip, String order,
                          long size, long modifiedMillis) {
        /** A key that sorts CDC files in apply order and names a position for the watermark. */
        public String watermarkKey() {
            return order + "|" + relative;
        }
    }

    /** The classified files of a table folder, and names that are not DMS files (reported, ignored). */
    public record Listing(List<RawFile> loads, List<RawFile> cdcs, List<String> ignored) {
    }

    private RawFiles() {
    }

    public static Listing list(FileIO io, String tableFolder) {
        List<RawFile> loads = new ArrayList<>();
        List<RawFile> cdcs = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        String folder = Locations.folder(tableFolder);
        String normalizedFolder = Locations.normalize(folder);
        for (FileInfo info : ((SupportsPrefixOperations) io).listPrefix(folder)) {
            String relative = Locations.normalize(info.location());
            relative = relative.startsWith(normalizedFolder) ? relative.substring(normalizedFolder.length())
                    : Locations.fileName(relative);
            if (relative.startsWith("/")) {
                relative = relative.substring(1);
            }
            RawFile file = classify(info.location(), relative, info.size(), info.createdAtMillis());
            if (file == null) {
                String name = Locations.fileName(relative);
                if (!name.startsWith(".") && !name.startsWith("_")) {
                    ignored.add(relative);
                }
            } else if (file.kind() == Kind.LOAD) {
                loads.add(file);
            } else {
                cdcs.add(file);
            }
        }
        Comparator<RawFile> byOrder = Comparator.comparing(RawFile::order).thenComparing(RawFile::relative);
        loads.sort(byOrder);
        cdcs.sort(byOrder);
        return new Listing(List.copyOf(loads), List.copyOf(cdcs), List.copyOf(ignored));
    }

    /** Classifies a file by its name, or null when it is not a DMS data file. */
    static RawFile classify(String location, String relative, long size, long modifiedMillis) {
        String name = Locations.fileName(relative);
        Matcher load = LOAD.matcher(name);
        if (load.matches()) {
            // Parallel full loads write LOAD files into sub-folders per partition; group by folder, then counter.
            String folder = relative.contains("/") ? relative.substring(0, relative.lastIndexOf('/') + 1) : "";
            long counter = Long.parseLong(load.group(1), 16);
            return new RawFile(location, relative, Kind.LOAD, format(load.group(2)), load.group(3) != null,
                    folder + String.format(Locale.ROOT, "%012d", counter), size, modifiedMillis);
        }
        Matcher cdc = CDC.matcher(name);
        if (cdc.matches()) {
            String fraction = (cdc.group(3) + "000000000").substring(0, Math.max(9, cdc.group(3).length()));
            return new RawFile(location, relative, Kind.CDC, format(cdc.group(4)), cdc.group(5) != null,
                    cdc.group(1) + cdc.group(2) + fraction, size, modifiedMillis);
        }
        return null;
    }

    private static Format format(String extension) {
        return extension.equals("csv") ? Format.CSV : Format.PARQUET;
    }

    /** The UTC time in a CDC file's name, in epoch milliseconds. */
    static long cdcTimeMillis(RawFile file) {
        return orderMillis(file.order());
    }

    /** The UTC time of a CDC file's order key (its name's digits), in epoch milliseconds. */
    static long orderMillis(String o) {
        java.time.LocalDateTime t = java.time.LocalDateTime.of(
                Integer.parseInt(o.substring(0, 4)), Integer.parseInt(o.substring(4, 6)), Integer.parseInt(o.substring(6, 8)),
                Integer.parseInt(o.substring(8, 10)), Integer.parseInt(o.substring(10, 12)), Integer.parseInt(o.substring(12, 14)),
                Integer.parseInt(o.substring(14, 23)));
        return t.toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    }
}
