package dev.lakehouse.testing.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Amazon Athena as the SDK sees it on the wire (JSON 1.1, {@code X-Amz-Target: AmazonAthena.*}),
 * for what moto's Athena lacks: failed queries with Athena's reason, NextToken paging of results and
 * of the history, BatchGetQueryExecution, throttling, typed result metadata, queries that keep
 * running (timeouts, Ctrl-C). Shaped after botocore's athena/2017-05-18/service-2.json. Result
 * files are written to S3 (moto) at OutputLocation/ID.csv, as Athena does.
 */
public final class FakeAthena implements AutoCloseable {
    /** What a query (matched by a substring of its SQL) does. */
    public record Outcome(List<String> columns, List<String> types, List<String[]> rows, String failure, boolean keepsRunning,
                          long scannedBytes) {
        public static Outcome rows(List<String> columns, List<String> types, List<String[]> rows) {
            return new Outcome(columns, types, rows, null, false, 12_345_678);
        }

        public static Outcome fails(String reason) {
            return new Outcome(List.of(), List.of(), List.of(), reason, false, 0);
        }

        public static Outcome runsForever() {
            return new Outcome(List.of(), List.of(), List.of(), null, true, 0);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final S3Client s3;
    private final Map<String, Outcome> script = new LinkedHashMap<>();
    private final Map<String, ObjectNode> executions = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> polls = new LinkedHashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger throttle = new AtomicInteger();
    private int runningPolls = 2;
    private volatile java.time.Duration pageDelay = java.time.Duration.ZERO;
    private volatile String resultEncryption;

    private FakeAthena(S3Client s3) throws IOException {
        this.s3 = s3;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeAthena start(S3Client s3) throws IOException {
        return new FakeAthena(s3);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeAthena respond(String sqlContains, Outcome outcome) {
        script.put(sqlContains, outcome);
        return this;
    }

    /** The next {@code n} requests answer ThrottlingException (the SDK retries them). */
    public FakeAthena throttleNext(int n) {
        throttle.set(n);
        return this;
    }

    /** Each GetQueryResults page takes this long to answer (a large result on a slow link). */
    public FakeAthena slowPages(java.time.Duration perPage) {
        this.pageDelay = perPage;
        return this;
    }

    /**
     * The workgroup encrypts its results with this option (SSE_S3, SSE_KMS, CSE_KMS), which then
     * shows in each query's ResultConfiguration. CSE_KMS result files hold ciphertext (AES-GCM
     * under a key only "KMS" has), as Athena's client-side encryption writes them.
     */
    public FakeAthena encryptResults(String option) {
        this.resultEncryption = option;
        return this;
    }

    /** How many GetQueryExecution calls a query stays QUEUED/RUNNING for. */
    public FakeAthena runningFor(int pollsBeforeDone) {
        this.runningPolls = pollsBeforeDone;
        return this;
    }

    /** Operations received, in order (e.g. "StartQueryExecution"). */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public ObjectNode execution(String id) {
        return executions.get(id);
    }

    public List<String> ids() {
        return new ArrayList<>(executions.keySet());
    }

    private void handle(HttpExchange x) throws IOException {
        String target = x.getRequestHeaders().getFirst("X-Amz-Target");
        String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
        JsonNode in = JSON.readTree(x.getRequestBody().readAllBytes());
        calls.add(op);
        if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            reply(x, 400, error("ThrottlingException", "Rate exceeded"));
            return;
        }
        try {
            JsonNode out = switch (op) {
                case "StartQueryExecution" -> start(in);
                case "GetQueryExecution" -> JSON.createObjectNode().set("QueryExecution", advance(in.path("QueryExecutionId").asText()));
                case "GetQueryResults" -> {
                    pause(pageDelay);
                    yield results(in);
                }
                case "StopQueryExecution" -> stop(in.path("QueryExecutionId").asText());
                case "ListQueryExecutions" -> list(in);
                case "BatchGetQueryExecution" -> batch(in);
                case "GetWorkGroup" -> workgroup(in);
                default -> throw new Fault("InvalidRequestException", "not in the fake: " + op);
            };
            reply(x, 200, out);
        } catch (Fault f) {
            reply(x, 400, error(f.type, f.getMessage()));
        }
    }

    private static void pause(java.time.Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Fault extends RuntimeException {
        final String type;

        Fault(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private JsonNode start(JsonNode in) {
        String id = UUID.randomUUID().toString();
        String sql = in.path("QueryString").asText();
        Outcome outcome = script.entrySet().stream().filter(e -> sql.contains(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(Outcome.rows(List.of("_col0"), List.of("integer"), List.<String[]>of(new String[] {"1"})));
        ObjectNode q = JSON.createObjectNode();
        q.put("QueryExecutionId", id);
        q.put("Query", sql);
        boolean ddl = sql.strip().toUpperCase().matches("(SHOW|DESCRIBE|DESC|CREATE|DROP|ALTER|MSCK)\\b.*");
        q.put("StatementType", ddl ? "DDL" : "DML");
        String location = in.path("ResultConfiguration").path("OutputLocation").asText("s3://lh-athena/results/");
        ObjectNode results = q.putObject("ResultConfiguration").put("OutputLocation",
                (location.endsWith("/") ? location : location + "/") + id + (ddl ? ".txt" : ".csv"));
        if (resultEncryption != null) {
            results.putObject("EncryptionConfiguration").put("EncryptionOption", resultEncryption)
                    .put("KmsKey", "arn:aws:kms:us-east-1:123456789012:key/results");
        }
        q.set("QueryExecutionContext", in.path("QueryExecutionContext").deepCopy());
        q.put("WorkGroup", in.path("WorkGroup").asText("primary"));
        if (in.has("ExecutionParameters")) {
            q.set("ExecutionParameters", in.get("ExecutionParameters").deepCopy());
        }
        ObjectNode status = q.putObject("Status");
        status.put("State", "QUEUED");
        status.put("SubmissionDateTime", System.currentTimeMillis() / 1000.0);
        executions.put(id, q);
        outcomes.put(id, outcome);
        polls.put(id, new AtomicInteger());
        return JSON.createObjectNode().put("QueryExecutionId", id);
    }

    private synchronized ObjectNode advance(String id) {
        ObjectNode q = executions.get(id);
        if (q == null) {
            throw new Fault("InvalidRequestException", "QueryExecution " + id + " was not found");
        }
        ObjectNode status = (ObjectNode) q.get("Status");
        String state = status.path("State").asText();
        if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
            return q;
        }
        Outcome outcome = outcomes.get(id);
        int n = polls.get(id).incrementAndGet();
        if (outcome.keepsRunning() || n <= runningPolls) {
            status.put("State", n <= 1 ? "QUEUED" : "RUNNING");
            return q;
        }
        status.put("CompletionDateTime", System.currentTimeMillis() / 1000.0);
        ObjectNode stats = q.putObject("Statistics");
        stats.put("EngineExecutionTimeInMillis", 1234);
        stats.put("TotalExecutionTimeInMillis", 1500);
        stats.put("DataScannedInBytes", isDdl(q) ? 0 : outcome.scannedBytes()); // a DDL statement scans no data
        if (outcome.failure() != null) {
            status.put("State", "FAILED");
            status.put("StateChangeReason", outcome.failure());
            status.putObject("AthenaError").put("ErrorCategory", 2).put("ErrorType", 1006).put("ErrorMessage", outcome.failure());
        } else {
            status.put("State", "SUCCEEDED");
            writeResultFile(q, outcome);
        }
        return q;
    }

    /**
     * The result file Athena writes. A query's is CSV: a header, every value quoted, NULL as an empty
     * unquoted field. A DDL statement's is plain text: no header, values tab-separated.
     */
    private void writeResultFile(ObjectNode q, Outcome outcome) {
        StringBuilder csv = new StringBuilder();
        if (isDdl(q)) {
            for (String[] row : outcome.rows()) {
                csv.append(String.join("\t", row)).append('\n');
            }
        } else {
            csv.append(String.join(",", outcome.columns().stream().map(c -> '"' + c + '"').toList())).append('\n');
        }
        for (String[] row : isDdl(q) ? List.<String[]>of() : outcome.rows()) {
            List<String> fields = new ArrayList<>();
            for (String v : row) {
                fields.add(v == null ? "" : '"' + v.replace("\"", "\"\"") + '"');
            }
            csv.append(String.join(",", fields)).append('\n');
        }
        String location = q.path("ResultConfiguration").path("OutputLocation").asText();
        String bucket = location.substring(5, location.indexOf('/', 5));
        String key = location.substring(location.indexOf('/', 5) + 1);
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        if ("CSE_KMS".equals(q.path("ResultConfiguration").path("EncryptionConfiguration").path("EncryptionOption").asText())) {
            body = clientSideEncrypted(body);
            s3.putObject(r -> r.bucket(bucket).key(key).metadata(Map.of("x-amz-cek-alg", "AES/GCM/NoPadding",
                    "x-amz-wrap-alg", "kms+context")), RequestBody.fromBytes(body));
            return;
        }
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
    }

    private static byte[] clientSideEncrypted(byte[] plain) {
        try {
            javax.crypto.KeyGenerator keys = javax.crypto.KeyGenerator.getInstance("AES");
            keys.init(256);
            byte[] iv = new byte[12];
            new java.security.SecureRandom().nextBytes(iv);
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, keys.generateKey(), new javax.crypto.spec.GCMParameterSpec(128, iv));
            return cipher.doFinal(plain);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isDdl(ObjectNode q) {
        return q.path("StatementType").asText().equals("DDL");
    }

    private JsonNode results(JsonNode in) {
        String id = in.path("QueryExecutionId").asText();
        ObjectNode q = executions.get(id);
        if (q == null || !q.path("Status").path("State").asText().equals("SUCCEEDED")) {
            throw new Fault("InvalidRequestException", "Query has not yet finished. Current state: "
                    + (q == null ? "unknown" : q.path("Status").path("State").asText()));
        }
        Outcome outcome = outcomes.get(id);
        int max = in.path("MaxResults").asInt(1000);
        int offset = in.has("NextToken") ? Integer.parseInt(in.get("NextToken").asText()) : 0;
        List<String[]> all = new ArrayList<>();
        if (!isDdl(q)) {
            all.add(outcome.columns().toArray(String[]::new)); // a query's first row is its header; a DDL result has none
        }
        all.addAll(outcome.rows());
        ObjectNode out = JSON.createObjectNode();
        ObjectNode set = out.putObject("ResultSet");
        ArrayNode rows = set.putArray("Rows");
        for (int i = offset; i < Math.min(all.size(), offset + max); i++) {
            ArrayNode data = rows.addObject().putArray("Data");
            for (String v : all.get(i)) {
                ObjectNode datum = data.addObject();
                if (v != null) {
                    datum.put("VarCharValue", v);
                }
            }
        }
        ArrayNode columns = set.putObject("ResultSetMetadata").putArray("ColumnInfo");
        for (int c = 0; c < outcome.columns().size(); c++) {
            columns.addObject().put("Name", outcome.columns().get(c)).put("Type", outcome.types().get(c))
                    .put("CatalogName", "hive").put("Nullable", "UNKNOWN");
        }
        if (offset + max < all.size()) {
            out.put("NextToken", Integer.toString(offset + max));
        }
        return out;
    }

    private synchronized JsonNode stop(String id) {
        ObjectNode q = executions.get(id);
        if (q != null) {
            ObjectNode status = (ObjectNode) q.get("Status");
            String state = status.path("State").asText();
            if (state.equals("QUEUED") || state.equals("RUNNING")) {
                status.put("State", "CANCELLED");
                status.put("StateChangeReason", "Query was cancelled by the user");
            }
        }
        return JSON.createObjectNode();
    }

    private JsonNode list(JsonNode in) {
        List<String> ids = new ArrayList<>(executions.keySet());
        Collections.reverse(ids); // newest first, as Athena lists them
        int max = in.path("MaxResults").asInt(50);
        int offset = in.has("NextToken") ? Integer.parseInt(in.get("NextToken").asText()) : 0;
        ObjectNode out = JSON.createObjectNode();
        ArrayNode page = out.putArray("QueryExecutionIds");
        ids.subList(Math.min(offset, ids.size()), Math.min(ids.size(), offset + max)).forEach(page::add);
        if (offset + max < ids.size()) {
            out.put("NextToken", Integer.toString(offset + max));
        }
        return out;
    }

    private JsonNode batch(JsonNode in) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode found = out.putArray("QueryExecutions");
        ArrayNode missing = out.putArray("UnprocessedQueryExecutionIds");
        // in reverse: Athena does not promise the order asked for, and a client must not rely on it
        List<JsonNode> asked = new ArrayList<>();
        in.path("QueryExecutionIds").forEach(asked::add);
        Collections.reverse(asked);
        for (JsonNode id : asked) {
            ObjectNode q = executions.get(id.asText());
            if (q == null) {
                missing.addObject().put("QueryExecutionId", id.asText()).put("ErrorMessage", "not found");
            } else {
                found.add(advance(id.asText()));
            }
        }
        return out;
    }

    private JsonNode workgroup(JsonNode in) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode w = out.putObject("WorkGroup");
        w.put("Name", in.path("WorkGroup").asText());
        w.put("State", "ENABLED");
        ObjectNode c = w.putObject("Configuration");
        c.put("EnforceWorkGroupConfiguration", true);
        c.put("BytesScannedCutoffPerQuery", 10_737_418_240L);
        c.putObject("ResultConfiguration").put("OutputLocation", "s3://lh-athena/results/")
                .putObject("EncryptionConfiguration").put("EncryptionOption", "SSE_KMS");
        c.putObject("EngineVersion").put("SelectedEngineVersion", "AUTO").put("EffectiveEngineVersion", "Athena engine version 3");
        return out;
    }

    private static JsonNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("Message", message);
    }

    private static void reply(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
