package dev.lakehouse.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;

/**
 * The files a set of snapshots needs: manifest lists, manifests, data and delete files (and, for
 * the whole table, its metadata and statistics files). What expire may delete and what orphans
 * must keep. Locations are normalized ({@link Locations#normalize}).
 */
public final class ReachableFiles {
    private final Table table;
    /** Manifests are shared by many snapshots: read each once. */
    private final Map<String, List<String>> manifestContents = new HashMap<>();

    public ReachableFiles(Table table) {
        this.table = table;
    }

    public record Files(Set<String> manifestLists, Set<String> manifests, Set<String> dataFiles, Set<String> deleteFiles,
                        Set<String> otherFiles) {
        static Files empty() {
            return new Files(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
        }

        public Set<String> all() {
            Set<String> all = new HashSet<>(manifestLists);
            all.addAll(manifests);
            all.addAll(dataFiles);
            all.addAll(deleteFiles);
            all.addAll(otherFiles);
            return all;
        }

        /** The files of this set that {@code keep} does not also need. */
        public Files minus(Files keep) {
            Files r = empty();
            diff(manifestLists, keep.manifestLists, r.manifestLists);
            diff(manifests, keep.manifests, r.manifests);
            diff(dataFiles, keep.dataFiles, r.dataFiles);
            diff(deleteFiles, keep.deleteFiles, r.deleteFiles);
            diff(otherFiles, keep.otherFiles, r.otherFiles);
            return r;
        }

        private static void diff(Set<String> from, Set<String> keep, Set<String> into) {
            for (String f : from) {
                if (!keep.contains(f)) {
                    into.add(f);
                }
            }
        }

        public int count() {
            return manifestLists.size() + manifests.size() + dataFiles.size() + deleteFiles.size() + otherFiles.size();
        }
    }

    /** Files the given snapshots need. */
    public Files of(Collection<Snapshot> snapshots) {
        Files files = Files.empty();
        for (Snapshot s : snapshots) {
            if (s.manifestListLocation() != null) {
                files.manifestLists().add(Locations.normalize(s.manifestListLocation()));
            }
            for (ManifestFile manifest : s.allManifests(table.io())) {
                String path = Locations.normalize(manifest.path());
                files.manifests().add(path);
                Set<String> into = manifest.content() == ManifestContent.DATA ? files.dataFiles() : files.deleteFiles();
                into.addAll(contents(manifest));
            }
        }
        for (StatisticsFile stats : table.statisticsFiles()) {
            if (snapshots.stream().anyMatch(s -> s.snapshotId() == stats.snapshotId())) {
                files.otherFiles().add(Locations.normalize(stats.path()));
            }
        }
        for (PartitionStatisticsFile stats : table.partitionStatisticsFiles()) {
            if (snapshots.stream().anyMatch(s -> s.snapshotId() == stats.snapshotId())) {
                files.otherFiles().add(Locations.normalize(stats.path()));
            }
        }
        return files;
    }

    /** Everything the table needs: all its snapshots' files plus its metadata files. */
    public Files all() {
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        Files files = of(snapshots);
        if (table instanceof HasTableOperations ops) {
            TableMetadata current = ops.operations().current();
            if (current.metadataFileLocation() != null) {
                files.otherFiles().add(Locations.normalize(current.metadataFileLocation()));
            }
            for (TableMetadata.MetadataLogEntry previous : current.previousFiles()) {
                files.otherFiles().add(Locations.normalize(previous.file()));
            }
        }
        table.statisticsFiles().forEach(s -> files.otherFiles().add(Locations.normalize(s.path())));
        table.partitionStatisticsFiles().forEach(s -> files.otherFiles().add(Locations.normalize(s.path())));
        return files;
    }

    private List<String> contents(ManifestFile manifest) {
        return manifestContents.computeIfAbsent(manifest.path(), path -> {
            List<String> locations = new ArrayList<>();
            try (ManifestReader<? extends ContentFile<?>> reader = manifest.content() == ManifestContent.DATA
                    ? ManifestFiles.read(manifest, table.io(), table.specs())
                    : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                for (ContentFile<?> f : reader) {
                    locations.add(Locations.normalize(f.location()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read manifest " + path, e);
            }
            return locations;
        });
    }
}
