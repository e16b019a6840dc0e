package dev.lakehouse.iceberg;

import java.io.IOException;
import org.apache.iceberg.io.InputFile;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.SeekableInputStream;

/** Reads Parquet footers through Iceberg's FileIO, so the same code reads local files and S3 objects. */
public final class ParquetFooters {
    private ParquetFooters() {
    }

    /** The footer (schema, row groups, column statistics) of a Parquet file. */
    public static ParquetMetadata read(InputFile file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new Adapter(file))) {
            return reader.getFooter();
        }
    }

    private record Adapter(InputFile file) implements org.apache.parquet.io.InputFile {
        /** Parquet names the file in its errors ("X is not a Parquet file"): the location, not this record. */
        @Override
        public String toString() {
            return file.location();
        }

        @Override
        public long getLength() {
            return file.getLength();
        }

        @Override
        public SeekableInputStream newStream() {
            org.apache.iceberg.io.SeekableInputStream in = file.newStream();
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }
}
