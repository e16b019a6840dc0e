package dev.lakehouse.sample;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.iceberg.Locations;
import dev.lakehouse.output.Progress;
import dev.lakehouse.sample.SampleTables.Column;
import dev.lakehouse.sample.SampleTables.Table;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes what AWS DMS would write to an S3 target for the sample tables, reproducibly (seeded):
 * a full load split into LOAD files (the counter goes past 9), then CDC files in date folders with
 * inserts, updates, deletes (some carrying only the key), changes made during the full load (commit
 * times earlier than the LOAD rows' transfer times), several changes sharing a commit time, and a
 * column added part way through. DMS settings imitated: Op column, TimestampColumnName
 * dms_commit_ts, the $AR_H_CHANGE_SEQ add-column rule as dms_change_seq, DatePartitionEnabled
 * (YYYYMMDD, SLASH), AddColumnName and CsvNullValue NULL for CSV.
 */
public final class DmsSampleWriter {
    public static final String TIMESTAMP_COLUMN = "dms_commit_ts";
    public static final String SEQUENCE_COLUMN = "dms_change_seq";
    public static final String CSV_NULL = "NULL";
    private static final DateTimeFormatter DMS_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter FILE_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS");
    private static final DateTimeFormatter DATE_FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    private static final DateTimeFormatter SEQ = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSSSSS");

    public enum Format { parquet, csv }

    /** {@code deletePercent} of the changes are deletes, 25% inserts, the rest updates. */
    public record Options(List<String> tables, long rows, long changes, Format format, long seed, Instant start,
                          boolean overwrite, int deletePercent) {
    }

    /** What was written; {@code rowsAfter} is how many rows the source table holds after all the changes. */
    public record Written(String table, String folder, int loadFiles, long loadRows, int cdcFiles, long inserts,
                          long updates, long deletes, long rowsAfter) {
    }

    private final FileIO io;
    private final String rawZone;
    private final Options options;
    private final Progress progress;

    public DmsSampleWriter(FileIO io, String rawZone, Options options, Progress progress) {
        this.io = io;
        this.rawZone = rawZone.endsWith("/") ? rawZone.substring(0, rawZone.length() - 1) : rawZone;
        this.options = options;
        this.progress = progress;
    }

    public static List<String> tableNames() {
        return SampleTables.ALL.stream().map(Table::name).toList();
    }

    public List<Written> write() {
        List<Table> tables = new ArrayList<>();
        for (String name : options.tables()) {
            tables.add(SampleTables.ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                    .orElseThrow(() -> LakehouseException.usage("--tables: no sample table '" + name + "' (available: "
                            + String.join(", ", tableNames()) + ")")));
        }
        for (Table t : tables) {
            String folder = folder(t);
            boolean hasFiles = ((SupportsPrefixOperations) io).listPrefix(Locations.folder(folder)).iterator().hasNext();
            if (hasFiles && !options.overwrite()) {
                throw LakehouseException.failed("Cannot write sample data to " + folder + ": it already holds raw files"
                        + " (pass --overwrite to replace them; convert then sees a reload)");
            }
            if (hasFiles) {
                ((SupportsPrefixOperations) io).deletePrefix(Locations.folder(folder));
            }
        }
        progress.total(tables.size() * (options.rows() + options.changes()));
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            written.add(new TableWriter(tables.get(i), new Random(options.seed() * 31 + i)).write());
        }
        return written;
    }

    private String folder(Table t) {
        return rawZone + "/public/" + t.name();
    }

    /** One table's files. */
    private final class TableWriter {
        private final Table table;
        private final Random random;
        private final List<Long> live = new ArrayList<>();
        private final Map<Long, Integer> index = new HashMap<>();
        private long nextId;
        private long seq;

        TableWriter(Table table, Random random) {
            this.table = table;
            this.random = random;
        }

        Written write() {
            String folder = folder(table);
            long n = options.rows();
            int loadFiles = n >= 12_000 ? 12 : (int) Math.max(1, (n + 999) / 1000);
            long perFile = (n + loadFiles - 1) / Math.max(1, loadFiles);
            Instant start = options.start();
            long id = 1;
            for (int f = 1; f <= loadFiles && n > 0; f++) {
                Instant transfer = start.plusSeconds(2L * f);
                List<Object[]> rows = new ArrayList<>();
                for (long i = 0; i < perFile && id <= n; i++, id++) {
                    rows.add(values(id, false));
                    add(id);
                }
                writeFile(folder + "/" + String.format("LOAD%08X", f), false, false,
                        rows.stream().map(r -> new Change('L', r, transfer)).toList());
                progress.advance(rows.size());
            }
            nextId = n + 1;
            Instant loadEnd = start.plusSeconds(2L * loadFiles + 1);

            long m = options.changes();
            long perCdcFile = Math.max(500, (m + 19) / 20);
            long duringLoad = Math.min(m, Math.max(1, m / 20));
            long lateFrom = m * 6 / 10;
            long inserts = 0, updates = 0, deletes = 0;
            Instant commit = start.plusMillis(500); // cached changes during the full load: before the LOAD transfers
            List<Change> pending = new ArrayList<>();
            int cdcFiles = 0;
            Instant fileTime = loadEnd;
            for (long c = 0; c < m; ) {
                // a transaction: 1 to 4 changes with one commit time
                int txn = 1 + random.nextInt(4);
                if (c >= duringLoad && commit.isBefore(loadEnd)) {
                    commit = loadEnd.plusMillis(200);
                }
                for (int k = 0; k < txn && c < m; k++, c++) {
                    boolean late = c >= lateFrom;
                    int kind = random.nextInt(100);
                    Change change;
                    if (kind < 25 || live.isEmpty()) {
                        long newId = nextId++;
                        add(newId);
                        change = new Change('I', values(newId, late), commit);
                        inserts++;
                    } else if (kind < 100 - options.deletePercent()) {
                        long key = live.get(random.nextInt(live.size()));
                        change = new Change('U', values(key, late), commit);
                        updates++;
                    } else {
                        long key = live.get(random.nextInt(live.size()));
                        remove(key);
                        Object[] row = random.nextBoolean() ? values(key, late) : keyOnly(key, late);
                        change = new Change('D', row, commit);
                        deletes++;
                    }
                    pending.add(change);
                }
                commit = commit.plusMillis(5 + random.nextInt(40));
                boolean flush = pending.size() >= perCdcFile || c >= m
                        || (cdcFiles == 0 && c >= duringLoad && !pending.isEmpty() && pending.get(0).commit().isBefore(loadEnd));
                if (flush && !pending.isEmpty()) {
                    Instant last = pending.get(pending.size() - 1).commit();
                    fileTime = (last.isAfter(fileTime) ? last : fileTime).plusSeconds(1);
                    LocalDateTime name = LocalDateTime.ofInstant(fileTime, ZoneOffset.UTC);
                    boolean lateColumn = pending.stream().anyMatch(p -> p.row().length > table.columns().size());
                    writeFile(folder + "/" + DATE_FOLDER.format(name) + "/" + FILE_NAME.format(name), true, lateColumn, pending);
                    progress.advance(pending.size());
                    pending = new ArrayList<>();
                    cdcFiles++;
                }
            }
            return new Written("public." + table.name(), folder, loadFiles, n, cdcFiles, inserts, updates, deletes, live.size());
        }

        private void add(long id) {
            index.put(id, live.size());
            live.add(id);
        }

        private void remove(long id) {
            int i = index.remove(id);
            long last = live.remove(live.size() - 1);
            if (last != id) {
                live.set(i, last);
                index.put(last, i);
            }
        }

        private Object[] keyOnly(long id, boolean late) {
            Object[] row = new Object[table.columns().size() + (late ? 1 : 0)];
            row[0] = id;
            return row;
        }

        /** A row: customers or orders, values drawn from the seeded random. */
        private Object[] values(long id, boolean late) {
            Object[] row = new Object[table.columns().size() + (late ? 1 : 0)];
            row[0] = id;
            LocalDateTime base = LocalDateTime.ofInstant(options.start(), ZoneOffset.UTC).minusDays(365);
            if (table == SampleTables.CUSTOMERS) {
                String first = pick("Ana", "Zoë", "José", "Åsa", "Łukasz", "美咲", "Oluwaseun", "Chloé", "Mateo", "Priya");
                String last = pick("García", "Müller", "Nguyễn", "O'Brien", "Smith", "Kowalski", "Sato", "Dubois");
                row[1] = first + " " + last;
                row[2] = random.nextInt(10) == 0 ? "" : (first + "." + id + "@example.com").toLowerCase(java.util.Locale.ROOT);
                row[3] = random.nextInt(20) == 0 ? null : pick("DE", "FR", "ES", "PL", "JP", "NG", "IE", "US");
                row[4] = base.plusMinutes(random.nextInt(525_600));
                if (late) {
                    row[5] = pick("bronze", "silver", "gold");
                }
            } else {
                row[1] = 1 + (long) random.nextInt((int) Math.max(1, Math.min(Integer.MAX_VALUE - 1, options.rows())));
                row[2] = pick("placed", "paid", "shipped", "delivered", "cancelled");
                row[3] = BigDecimal.valueOf(random.nextInt(10_000_000), 2);
                row[4] = pick("EUR", "USD", "GBP", "JPY");
                row[5] = base.plusMinutes(random.nextInt(525_600)).plusNanos(random.nextInt(1_000_000) * 1000L);
                if (late) {
                    row[6] = random.nextInt(4) == 0 ? null : BigDecimal.valueOf(random.nextInt(5000), 2);
                }
            }
            return row;
        }

        private String pick(String... values) {
            return values[random.nextInt(values.length)];
        }

        /** A change to write: op (L for a LOAD row), values, commit (or transfer) time. */
        private record Change(char op, Object[] row, Instant commit) {
        }

        private String sequence(Instant commit) {
            return SEQ.format(LocalDateTime.ofInstant(commit, ZoneOffset.UTC)) + String.format("%010d", ++seq);
        }

        private List<Column> columns(boolean lateColumn) {
            List<Column> columns = new ArrayList<>(table.columns());
            if (lateColumn) {
                columns.add(table.late());
            }
            return columns;
        }

        private void writeFile(String base, boolean cdc, boolean lateColumn, List<Change> changes) {
            List<Column> columns = columns(lateColumn);
            if (options.format() == Format.csv) {
                writeCsv(base + ".csv", cdc, columns, changes);
            } else {
                writeParquet(base + ".parquet", cdc, columns, changes);
            }
        }

        private void writeParquet(String location, boolean cdc, List<Column> columns, List<Change> changes) {
            StringBuilder s = new StringBuilder("message dms {");
            if (cdc) {
                s.append(" optional binary Op (STRING);");
            }
            s.append(" optional binary ").append(TIMESTAMP_COLUMN).append(" (STRING);");
            for (Column c : columns) {
                s.append(" optional ").append(c.parquet().replaceFirst("^(\\w+)", "$1 " + c.name())).append(';');
            }
            s.append(" optional binary ").append(SEQUENCE_COLUMN).append(" (STRING); }");
            MessageType type = MessageTypeParser.parseMessageType(s.toString());
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new ParquetOutput(io.newOutputFile(location)))
                    .withType(type).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
                SimpleGroupFactory groups = new SimpleGroupFactory(type);
                for (Change c : changes) {
                    Group g = groups.newGroup();
                    if (cdc) {
                        g.append("Op", String.valueOf(c.op()));
                    }
                    g.append(TIMESTAMP_COLUMN, DMS_TS.format(LocalDateTime.ofInstant(c.commit(), ZoneOffset.UTC)));
                    for (int i = 0; i < columns.size(); i++) {
                        Object v = i < c.row().length ? c.row()[i] : null;
                        if (v == null) {
                            continue;
                        }
                        String name = columns.get(i).name();
                        if (v instanceof Long l) {
                            g.append(name, l);
                        } else if (v instanceof BigDecimal d) {
                            if (columns.get(i).parquet().startsWith("int32")) {
                                g.append(name, d.unscaledValue().intValueExact());
                            } else {
                                g.append(name, d.unscaledValue().longValueExact());
                            }
                        } else if (v instanceof LocalDateTime t) {
                            g.append(name, ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t));
                        } else {
                            g.append(name, v.toString());
                        }
                    }
                    if (cdc) {
                        g.append(SEQUENCE_COLUMN, sequence(c.commit()));
                    }
                    writer.write(g);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + location, e);
            }
        }

        private void writeCsv(String location, boolean cdc, List<Column> columns, List<Change> changes) {
            try (Writer out = new OutputStreamWriter(io.newOutputFile(location).create(), StandardCharsets.UTF_8)) {
                List<String> header = new ArrayList<>();
                if (cdc) {
                    header.add("Op");
                }
                header.add(TIMESTAMP_COLUMN);
                columns.forEach(c -> header.add(c.name()));
                header.add(SEQUENCE_COLUMN);
                out.write(String.join(",", header));
                out.write('\n');
                for (Change c : changes) {
                    List<String> fields = new ArrayList<>();
                    if (cdc) {
                        fields.add(String.valueOf(c.op()));
                    }
                    fields.add(DMS_TS.format(LocalDateTime.ofInstant(c.commit(), ZoneOffset.UTC)));
                    for (int i = 0; i < columns.size(); i++) {
                        Object v = i < c.row().length ? c.row()[i] : null;
                        fields.add(v == null ? CSV_NULL : csv(v));
                    }
                    fields.add(cdc ? sequence(c.commit()) : "");
                    out.write(String.join(",", fields));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + location, e);
            }
        }

        private String csv(Object v) {
            String t = v instanceof LocalDateTime d ? DMS_TS.format(d) : v instanceof BigDecimal b ? b.toPlainString() : v.toString();
            if (t.isEmpty() || t.indexOf(',') >= 0 || t.indexOf('"') >= 0 || t.indexOf('\n') >= 0 || t.equals(CSV_NULL)) {
                return '"' + t.replace("\"", "\"\"") + '"';
            }
            return t;
        }
    }
}
