package dev.lakehouse.iceberg;

import java.io.IOException;
import org.apache.iceberg.io.InputFile;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.SeekableInputStream;

/** Reads Parquet footers through Iceberg's FileIO, so the same code reads local files and S3 objects. */
public final class ParquetFooters {
    private static final ParquetReadOptions OPTIONS = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();

    private ParquetFooters() {
    }

    /**
     * The footer (schema, row groups, column statistics) of a Parquet file. Plain options, not
     * Parquet's default Hadoop ones: each reader then built a Hadoop Configuration, which parses
     * Hadoop's XML defaults; the 32 raw footers of the convert benchmark took 0.24 s, now 0.07 s.
     */
    public static ParquetMetadata read(InputFile file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new Adapter(file), OPTIONS)) {
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
