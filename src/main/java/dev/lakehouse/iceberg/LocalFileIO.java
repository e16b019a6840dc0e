package dev.lakehouse.iceberg;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Iceberg FileIO for the local env's warehouse, on java.nio. Hadoop's local file system (the
 * alternative in Iceberg) forks a process per file for permissions and writes .crc side files;
 * this reads and writes plain files, which other local readers (DuckDB) see as they are.
 */
public final class LocalFileIO implements SupportsPrefixOperations, SupportsBulkOperations {
    private Map<String, String> properties = Map.of();

    @Override
    public void initialize(Map<String, String> props) {
        this.properties = Map.copyOf(props);
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    static Path path(String location) {
        return Path.of(Locations.normalize(location));
    }

    @Override
    public InputFile newInputFile(String location) {
        return new LocalInputFile(location, -1);
    }

    @Override
    public InputFile newInputFile(String location, long length) {
        return new LocalInputFile(location, length);
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return new LocalOutputFile(location);
    }

    @Override
    public void deleteFile(String location) {
        try {
            Files.deleteIfExists(path(location));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + location, e);
        }
    }

    @Override
    public void deleteFiles(Iterable<String> locations) throws BulkDeletionFailureException {
        int failed = 0;
        for (String location : locations) {
            try {
                Files.deleteIfExists(path(location));
            } catch (IOException e) {
                failed++;
            }
        }
        if (failed > 0) {
            throw new BulkDeletionFailureException(failed);
        }
    }

    /** Every file whose path starts with {@code prefix} (a folder lists its whole tree). */
    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
        Path p = path(prefix);
        Path root = Files.isDirectory(p) ? p : p.getParent();
        String start = p.toString();
        List<FileInfo> files = new ArrayList<>();
        if (root == null || !Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(f -> {
                if (f.toString().startsWith(start)) {
                    try {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        if (a.isRegularFile()) {
                            files.add(new FileInfo(f.toString(), a.size(), a.lastModifiedTime().toMillis()));
                        }
                    } catch (IOException ignored) {
                        // vanished while listing
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + prefix, e);
        }
        return files;
    }

    @Override
    public void deletePrefix(String prefix) {
        List<String> locations = new ArrayList<>();
        listPrefix(prefix).forEach(f -> locations.add(f.location()));
        deleteFiles(locations);
    }

    private record LocalInputFile(String location, long knownLength) implements InputFile {
        @Override
        public long getLength() {
            if (knownLength >= 0) {
                return knownLength;
            }
            try {
                return Files.size(path(location));
            } catch (NoSuchFileException e) {
                throw new NotFoundException(e, "File does not exist: %s", location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public SeekableInputStream newStream() {
            try {
                return new LocalSeekableStream(FileChannel.open(path(location), StandardOpenOption.READ));
            } catch (NoSuchFileException e) {
                throw new NotFoundException(e, "File does not exist: %s", location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean exists() {
            return Files.exists(path(location));
        }
    }

    private record LocalOutputFile(String location) implements OutputFile {
        @Override
        public PositionOutputStream create() {
            return open(StandardOpenOption.CREATE_NEW);
        }

        @Override
        public PositionOutputStream createOrOverwrite() {
            return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        }

        private PositionOutputStream open(StandardOpenOption... options) {
            Path p = path(location);
            try {
                Files.createDirectories(p.getParent());
                OutputStream out = Files.newOutputStream(p, withWrite(options));
                return new LocalPositionStream(new BufferedOutputStream(out, 1 << 16));
            } catch (FileAlreadyExistsException e) {
                throw new AlreadyExistsException(e, "File already exists: %s", location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static StandardOpenOption[] withWrite(StandardOpenOption[] options) {
            StandardOpenOption[] all = java.util.Arrays.copyOf(options, options.length + 1);
            all[options.length] = StandardOpenOption.WRITE;
            return all;
        }

        @Override
        public InputFile toInputFile() {
            return new LocalInputFile(location, -1);
        }
    }

    /** Buffered reads over a FileChannel; seek drops the buffer. */
    private static final class LocalSeekableStream extends SeekableInputStream {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private long bufferStart;

        LocalSeekableStream(FileChannel channel) {
            this.channel = channel;
            buffer.limit(0);
        }

        @Override
        public long getPos() {
            return bufferStart + buffer.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos >= bufferStart && newPos <= bufferStart + buffer.limit()) {
                buffer.position((int) (newPos - bufferStart));
                return;
            }
            bufferStart = newPos;
            buffer.limit(0);
        }

        private boolean fill() throws IOException {
            bufferStart += buffer.limit();
            buffer.clear();
            int n = channel.read(buffer, bufferStart);
            buffer.flip();
            return n > 0;
        }

        @Override
        public int read() throws IOException {
            if (!buffer.hasRemaining() && !fill()) {
                return -1;
            }
            return buffer.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (buffer.hasRemaining()) {
                int n = Math.min(len, buffer.remaining());
                buffer.get(b, off, n);
                return n;
            }
            if (len >= buffer.capacity()) {
                // large reads go straight to the file
                long pos = getPos();
                int n = channel.read(ByteBuffer.wrap(b, off, len), pos);
                if (n <= 0) {
                    return -1;
                }
                bufferStart = pos + n;
                buffer.limit(0);
                return n;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long target = Math.min(getPos() + Math.max(n, 0), channel.size());
            long skipped = target - getPos();
            seek(target);
            return skipped;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class LocalPositionStream extends PositionOutputStream {
        private final OutputStream out;
        private long pos;

        LocalPositionStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            pos += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** For tests: reads a whole file. */
    static byte[] readAll(InputFile file) throws IOException {
        try (SeekableInputStream in = file.newStream()) {
            byte[] data = new byte[(int) file.getLength()];
            int off = 0;
            while (off < data.length) {
                int n = in.read(data, off, data.length - off);
                if (n < 0) {
                    throw new EOFException();
                }
                off += n;
            }
            return data;
        }
    }
}
