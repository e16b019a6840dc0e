package dev.lakehouse.athena;

import dev.lakehouse.cli.LakehouseException;
import dev.lakehouse.output.Durations;
import dev.lakehouse.query.ResultRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.EncryptionOption;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StatementType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A finished Athena query's rows, streamed: page by page through GetQueryResults (1,000 rows a
 * call), or the whole result CSV read from S3 (one request; what large results want). Values are
 * typed from the result metadata; NULL and the empty string stay apart either way.
 */
public final class AthenaResults implements ResultRows {
    /** Where the rows come from: {@code auto} reads the first page by API and the rest from S3 if there is more. */
    public enum Source { auto, api, s3 }

    private final AthenaClient athena;
    private final S3Client s3;
    private final QueryExecution query;
    private final Source source;
    private final List<String> columns = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final Deque<Object[]> buffered = new ArrayDeque<>();
    private String nextToken;
    private boolean apiDone;
    private long rowsFromApi;
    private BufferedReader csv;
    private boolean started;
    private final Deadline deadline;
    private final long deadlineNanos; // checked for every row: a clock read, no Instant made
    private long served;

    /** When reading the rows must stop: {@code at} is when {@code timeout} (what the user gave) runs out. */
    public record Deadline(Instant at, Duration timeout) {
    }

    AthenaResults(AthenaClient athena, S3Client s3, QueryExecution query, Source source, Deadline deadline) {
        this.athena = athena;
        this.s3 = s3;
        this.query = query;
        this.source = source;
        this.deadline = deadline;
        this.deadlineNanos = deadline == null ? 0 : System.nanoTime() + Duration.between(Instant.now(), deadline.at()).toNanos();
        AthenaQueries.requireSucceeded(query);
        checkDeadline();
        if (source == Source.s3 && hasCsvFile()) {
            readMetadata();
            openCsv(0);
        } else {
            fetchPage();
        }
        started = true;
    }

    public QueryExecution query() {
        return query;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    private boolean isSelect() {
        return query.statementType() == null || query.statementType() == StatementType.DML;
    }

    /**
     * Athena writes a query's result as CSV ({@code ID.csv}), but a DDL statement's (SHOW PARTITIONS,
     * SHOW TABLES, DESCRIBE) as plain text ({@code ID.txt}) with no header: those are read by API,
     * whatever --results-from says, as read as CSV they lost a row to the "header" and split lines.
     * A workgroup with Athena-managed query results has no result file on S3 at all, and one that
     * encrypts results client-side (CSE_KMS) has one only a KMS-aware client can decrypt: read as
     * it is, its ciphertext would print as rows.
     */
    private boolean hasCsvFile() {
        ResultConfiguration results = query.resultConfiguration();
        String location = results == null ? null : results.outputLocation();
        boolean clientSideEncrypted = results != null && results.encryptionConfiguration() != null
                && results.encryptionConfiguration().encryptionOption() == EncryptionOption.CSE_KMS;
        return isSelect() && location != null && location.startsWith("s3://") && !location.endsWith(".txt") && !clientSideEncrypted;
    }

    /** Column names and types (the result file has names only). */
    private void readMetadata() {
        var md = athena.getQueryResults(r -> r.queryExecutionId(query.queryExecutionId()).maxResults(1))
                .resultSet().resultSetMetadata();
        if (md != null) {
            for (ColumnInfo c : md.columnInfo()) {
                columns.add(c.name());
                types.add(c.type() == null ? "varchar" : c.type().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    private void fetchPage() {
        String token = nextToken;
        GetQueryResultsResponse page = athena.getQueryResults(r -> r.queryExecutionId(query.queryExecutionId())
                .maxResults(1000).nextToken(token));
        if (columns.isEmpty() && page.resultSet().resultSetMetadata() != null) {
            for (ColumnInfo c : page.resultSet().resultSetMetadata().columnInfo()) {
                columns.add(c.name());
                types.add(c.type() == null ? "varchar" : c.type().toLowerCase(java.util.Locale.ROOT));
            }
        }
        List<Row> rows = page.resultSet().rows();
        int skip = token == null && isSelect() && !rows.isEmpty() ? 1 : 0; // the first row of a SELECT is its header
        for (int i = skip; i < rows.size(); i++) {
            List<Datum> data = rows.get(i).data();
            Object[] row = new Object[columns.size()];
            for (int c = 0; c < row.length && c < data.size(); c++) {
                row[c] = typed(data.get(c).varCharValue(), types.get(c));
            }
            buffered.add(row);
            rowsFromApi++;
        }
        nextToken = page.nextToken();
        apiDone = nextToken == null;
    }

    /** The result CSV of the query on S3, skipping the header and {@code skipRows} rows already served. */
    private void openCsv(long skipRows) {
        String location = query.resultConfiguration() == null ? null : query.resultConfiguration().outputLocation();
        if (location == null || !location.startsWith("s3://")) {
            throw LakehouseException.failed("Athena query " + query.queryExecutionId() + " has no result file on S3");
        }
        String bucket = location.substring(5, location.indexOf('/', 5));
        String key = location.substring(location.indexOf('/', 5) + 1);
        ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key));
        csv = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        List<CsvField> header = readCsvRecord();
        if (columns.isEmpty() && header != null) {
            for (CsvField f : header) {
                columns.add(f.text());
                types.add("varchar");
            }
        }
        for (long i = 0; i < skipRows; i++) {
            readCsvRecord();
        }
    }

    /**
     * --timeout bounds the whole command: a large result still being read when it runs out stops
     * (exit 4) like a query still running, where it used to page on unbounded.
     */
    private void checkDeadline() {
        if (deadline != null && System.nanoTime() - deadlineNanos > 0) {
            throw LakehouseException.timedOut("Athena query " + query.queryExecutionId() + " succeeded, but reading its rows"
                    + " took longer than --timeout " + Durations.format(deadline.timeout()) + "; stopped after reading " + served
                    + " rows (all of them: lakehouse athena results " + query.queryExecutionId() + ")");
        }
    }

    @Override
    public boolean hasNext() {
        if (!buffered.isEmpty()) {
            return true;
        }
        checkDeadline();
        if (csv != null) {
            List<CsvField> record = readCsvRecord();
            if (record == null) {
                return false;
            }
            Object[] row = new Object[columns.size()];
            for (int c = 0; c < row.length && c < record.size(); c++) {
                CsvField f = record.get(c);
                row[c] = f.quoted() || !f.text().isEmpty() ? typed(f.text(), types.get(c)) : null;
            }
            buffered.add(row);
            return true;
        }
        if (apiDone || !started) {
            return false;
        }
        if (source == Source.auto && hasCsvFile()) {
            openCsv(rowsFromApi); // more than one page: the rest in one S3 read
            return hasNext();
        }
        fetchPage();
        return !buffered.isEmpty() || hasNext();
    }

    @Override
    public Object[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        served++;
        return buffered.poll();
    }

    /**
     * A value of an Athena column type, from its text; null stays null. Dates and times become
     * java.time values so that they print as the local engine prints them ("2024-06-01 12:00:00.000000"
     * is 2024-06-01T12:00:00, "... UTC" an instant ending in Z).
     */
    static Object typed(String text, String type) {
        if (text == null) {
            return null;
        }
        try {
            return switch (type) {
                case "bigint", "integer", "int", "smallint", "tinyint" -> Long.valueOf(text);
                case "double", "float", "real" -> Double.valueOf(text);
                case "boolean" -> Boolean.valueOf(text);
                case "date" -> LocalDate.parse(text);
                case "time" -> LocalTime.parse(text);
                case "timestamp" -> LocalDateTime.parse(text.replaceFirst(" ", "T"));
                case "timestamp with time zone" -> {
                    int zone = text.lastIndexOf(' ');
                    yield LocalDateTime.parse(text.substring(0, zone).replaceFirst(" ", "T"))
                            .atZone(ZoneId.of(text.substring(zone + 1))).toInstant();
                }
                default -> type.startsWith("decimal") ? new BigDecimal(text) : text;
            };
        } catch (NumberFormatException | DateTimeException | IndexOutOfBoundsException e) {
            return text; // Athena prints NaN/Infinity, and dates out of java.time's range, as text
        }
    }

    private record CsvField(String text, boolean quoted) {
    }

    /** One RFC 4180 record; a quoted empty field is an empty string, an unquoted empty one NULL. */
    private List<CsvField> readCsvRecord() {
        try {
            int c = csv.read();
            if (c < 0) {
                return null;
            }
            List<CsvField> fields = new ArrayList<>();
            StringBuilder b = new StringBuilder();
            boolean quoted = false;
            boolean inQuotes = false;
            while (true) {
                if (inQuotes) {
                    if (c < 0) {
                        throw new IOException("unterminated quoted field");
                    }
                    if (c == '"') {
                        csv.mark(1);
                        int n = csv.read();
                        if (n == '"') {
                            b.append('"');
                        } else {
                            inQuotes = false;
                            if (n >= 0) {
                                csv.reset();
                            }
                        }
                    } else {
                        b.append((char) c);
                    }
                } else if (c == '"') {
                    inQuotes = true;
                    quoted = true;
                } else if (c == ',') {
                    fields.add(new CsvField(b.toString(), quoted));
                    b.setLength(0);
                    quoted = false;
                } else if (c == '\n' || c < 0) {
                    fields.add(new CsvField(b.toString(), quoted));
                    return fields;
                } else if (c != '\r') {
                    b.append((char) c);
                }
                c = csv.read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Athena result file of " + query.queryExecutionId(), e);
        }
    }

    @Override
    public void close() {
        if (csv != null) {
            try {
                csv.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
