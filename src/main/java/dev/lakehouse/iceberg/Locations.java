package dev.lakehouse.iceberg;

import java.net.URI;

/** File locations as Iceberg stores them: plain absolute paths on local envs, s3:// on AWS. */
public final class Locations {
    private Locations() {
    }

    /**
     * The comparable form of a location: {@code file:/x}, {@code file:///x} and {@code /a//x} become
     * {@code /x} and {@code /a/x};
     * {@code s3a://} and {@code s3n://} become {@code s3://}.
     */
    public static String normalize(String location) {
        if (location.startsWith("file:")) {
            return java.nio.file.Path.of(URI.create(location).getPath()).normalize().toString();
        }
        if (location.startsWith("/")) {
            return java.nio.file.Path.of(location).normalize().toString();
        }
        if (location.startsWith("s3a://") || location.startsWith("s3n://")) {
            return "s3://" + location.substring(6);
        }
        return location;
    }

    /** The location with exactly one trailing slash, for prefix listings of a folder. */
    public static String folder(String location) {
        return location.endsWith("/") ? location : location + "/";
    }

    /** The last path segment. */
    public static String fileName(String location) {
        int slash = location.lastIndexOf('/');
        return slash < 0 ? location : location.substring(slash + 1);
    }
}
