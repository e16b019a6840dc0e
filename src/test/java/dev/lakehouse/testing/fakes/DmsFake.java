package dev.lakehouse.testing.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A small AWS DMS that speaks the real wire protocol (JSON 1.1, {@code POST /} with
 * {@code X-Amz-Target: AmazonDMSv20160101.<Operation>}), for what moto's DMS lacks: DMS Serverless
 * replications, table statistics, ReloadTables, tasks that fail or take their time, throttling.
 * Request and response members are shaped after the official service model (botocore's
 * {@code dms/2016-01-01/service-2.json}); errors are HTTP 400 with {@code __type} and
 * {@code message}, as AWS sends them. No authentication is checked.
 *
 * <p>Time passes by describe calls: after a start or stop, each DescribeReplicationTasks (or
 * DescribeReplications) that returns the task first applies the next step of its script, so a
 * test with a short poll interval sees ready → starting → running → ... in a few milliseconds.
 * Tests change the scripts ({@link Replicable#onStart}) to make a task fail or never finish.
 *
 * <p>Use as {@code @RegisterExtension static DmsFake dms = new DmsFake();}: started once per test
 * class, emptied before each test; point the SDK at it with AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE.
 */
public final class DmsFake implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    private static final String PREFIX = "AmazonDMSv20160101.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final Random random = new Random(42);
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, Config> configs = new LinkedHashMap<>();
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final Map<String, String> connectionFailures = new LinkedHashMap<>();
    private boolean connectionTestsHang;
    private boolean instanceModifying;
    private final List<String> calls = new ArrayList<>();
    private int throttleNext;
    private int throttled;
    /** Only this operation is throttled (null: any), after this many of its calls pass. */
    private String throttledOperation;
    private int throttleSkip;

    // ---- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Forgets every task, replication, instance, endpoint, connection and recorded call. */
    public synchronized void reset() {
        tasks.clear();
        configs.clear();
        instances.clear();
        endpoints.clear();
        connections.clear();
        connectionFailures.clear();
        connectionTestsHang = false;
        instanceModifying = false;
        calls.clear();
        throttleNext = 0;
        throttled = 0;
        throttledOperation = null;
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    // ---- what tests set up and inspect

    /** Operations called so far, in order (e.g. "StartReplicationTask"). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized long count(String operation) {
        return calls.stream().filter(operation::equals).count();
    }

    /** The next {@code n} requests are refused with ThrottlingException (the SDK retries them). */
    public synchronized void throttle(int n) {
        throttleNext = n;
        throttledOperation = null;
    }

    /**
     * After {@code skip} more calls of {@code operation} pass, the next {@code n} are refused with
     * ThrottlingException (a burst while polling).
     */
    public synchronized void throttle(String operation, int skip, int n) {
        throttleNext = n;
        throttleSkip = skip;
        throttledOperation = operation;
    }

    public synchronized int throttled() {
        return throttled;
    }

    /** A replication instance (with a random resource id in its ARN, as on AWS). */
    public synchronized Instance instance(String identifier) {
        Instance i = new Instance(identifier, arn("rep", resourceId()));
        instances.put(i.arn, i);
        return i;
    }

    /** A source or target endpoint. */
    public synchronized Endpoint endpoint(String identifier, String type) {
        Endpoint e = new Endpoint(identifier, arn("endpoint", resourceId()), type);
        endpoints.put(e.arn, e);
        return e;
    }

    /** Connection tests of this endpoint fail from now on, with this message. */
    public synchronized void failConnectionTests(Endpoint endpoint, String message) {
        connectionFailures.put(endpoint.arn(), message);
    }

    /** Connection tests started from now on stay "testing" (an instance that cannot reach its endpoints). */
    public synchronized void hangConnectionTests() {
        connectionTestsHang = true;
    }

    /** TestConnection is refused from now on as while the instance is being modified (InvalidResourceStateFault). */
    public synchronized void instanceBeingModified() {
        instanceModifying = true;
    }

    /** A classic task in state ready (never run) on a new instance with new endpoints. */
    public synchronized Task task(String identifier, String migrationType) {
        Instance instance = instances.values().stream().findFirst().orElseGet(() -> instance("lh-dms"));
        Task t = new Task(identifier, arn("task", resourceId()), migrationType, instance,
                endpoint(identifier + "-source", "source"), endpoint(identifier + "-target", "target"));
        tasks.put(t.arn, t);
        return t;
    }

    /** A DMS Serverless replication config, never started. */
    public synchronized Config serverless(String identifier, String replicationType) {
        Config c = new Config(identifier, arn("replication-config", resourceId()), replicationType,
                endpoint(identifier + "-source", "source"), endpoint(identifier + "-target", "target"));
        configs.put(c.arn, c);
        return c;
    }

    private String arn(String type, String id) {
        return "arn:aws:dms:" + REGION + ":" + ACCOUNT + ":" + type + ":" + id;
    }

    private String resourceId() {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            b.append(chars.charAt(random.nextInt(i == 0 ? 26 : chars.length())));
        }
        return b.toString();
    }

    // ---- the model

    public record Instance(String identifier, String arn) {
    }

    public record Endpoint(String identifier, String arn, String type) {
    }

    private static final class Connection {
        final Instance instance;
        final Endpoint endpoint;
        String status = "testing";
        String failure;

        Connection(Instance instance, Endpoint endpoint) {
            this.instance = instance;
            this.endpoint = endpoint;
        }
    }

    /** One table's statistics (TableStatistics). */
    public static final class TableStats {
        public final String schema;
        public final String table;
        public long inserts;
        public long updates;
        public long deletes;
        public long ddls;
        public long fullLoadRows;
        public String state = "Table completed";
        public String validationState = "Not enabled";
        public boolean reloaded;
        public Instant lastUpdate = Instant.now();

        TableStats(String schema, String table) {
            this.schema = schema;
            this.table = table;
        }
    }

    /** What a task and a Serverless replication share: status, stats, scripts of what happens next. */
    public abstract static class Replicable {
        public final String identifier;
        public final String arn;
        public final String migrationType;
        public final Endpoint source;
        public final Endpoint target;
        public String status;
        public String stopReason;
        public String failure;
        public String tableMappings = "{\"rules\":[{\"rule-type\":\"selection\",\"rule-id\":\"1\",\"rule-name\":\"all\","
                + "\"object-locator\":{\"schema-name\":\"%\",\"table-name\":\"%\"},\"rule-action\":\"include\"}]}";
        public Integer progress;
        public Integer tablesLoaded;
        public Integer tablesLoading;
        public Integer tablesQueued;
        public Integer tablesErrored;
        public Instant created = Instant.now();
        public Instant started;
        public Instant stopped;
        public Instant fullLoadStarted;
        public Instant fullLoadFinished;
        public String recoveryCheckpoint;
        public final List<TableStats> tables = new ArrayList<>();
        /** Start types asked for, in order. */
        public final List<String> startTypes = new ArrayList<>();
        /** Tables reloaded ("schema.table:option"). */
        public final List<String> reloads = new ArrayList<>();
        final Deque<Consumer<Replicable>> script = new ArrayDeque<>();
        List<Consumer<Replicable>> onStart;

        Replicable(String identifier, String arn, String migrationType, Endpoint source, Endpoint target, String status) {
            this.identifier = identifier;
            this.arn = arn;
            this.migrationType = migrationType;
            this.source = source;
            this.target = target;
            this.status = status;
        }

        /** What happens after the next start, one step per describe call (replaces the default). */
        @SafeVarargs
        public final Replicable onStart(Consumer<Replicable>... steps) {
            onStart = List.of(steps);
            return this;
        }

        public Replicable table(String schema, String table, long fullLoadRows, long inserts, long updates, long deletes) {
            TableStats s = new TableStats(schema, table);
            s.fullLoadRows = fullLoadRows;
            s.inserts = inserts;
            s.updates = updates;
            s.deletes = deletes;
            tables.add(s);
            return this;
        }

        /** As if it ran before and was stopped by a user: a resume is possible. */
        public Replicable ranBefore() {
            Instant t = Instant.now().minusSeconds(3600);
            started = t;
            stopped = t.plusSeconds(600);
            fullLoadStarted = migrationType.startsWith("full-load") ? t : null;
            fullLoadFinished = migrationType.startsWith("full-load") ? t.plusSeconds(300) : null;
            progress = migrationType.startsWith("full-load") ? 100 : null;
            status = "stopped";
            stopReason = "Stop Reason NORMAL";
            recoveryCheckpoint = "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080#0#0#*#0#93";
            return this;
        }

        public Replicable running() {
            started = Instant.now().minusSeconds(60);
            status = "running";
            if (migrationType.startsWith("full-load")) {
                fullLoadStarted = started;
                fullLoadFinished = started.plusSeconds(30);
                progress = 100;
            }
            return this;
        }

        void advance() {
            Consumer<Replicable> next = script.poll();
            if (next != null) {
                next.accept(this);
            }
        }

        abstract List<Consumer<Replicable>> defaultStart(String type);

        abstract String startingStatus();
    }

    // ---- steps tests compose into scripts

    public static Consumer<Replicable> status(String status) {
        return r -> r.status = status;
    }

    public static Consumer<Replicable> loading(int percent) {
        return r -> {
            r.status = "running";
            if (r.fullLoadStarted == null || r.progress == null || r.progress == 100) {
                r.fullLoadStarted = Instant.now();
                r.fullLoadFinished = null;
            }
            r.progress = percent;
            r.tablesLoaded = percent * r.tables.size() / 100;
            r.tablesLoading = r.tables.size() - r.tablesLoaded;
            r.tablesQueued = 0;
            r.tablesErrored = 0;
        };
    }

    /** The full load finished; a full-load task stops with FULL_LOAD_ONLY_FINISHED, others go on with CDC. */
    public static Consumer<Replicable> fullLoadFinished() {
        return r -> {
            r.progress = 100;
            r.tablesLoaded = r.tables.size();
            r.tablesLoading = 0;
            r.fullLoadFinished = Instant.now().plusMillis(1);
            if (r.migrationType.equals("full-load")) {
                r.status = "stopped";
                r.stopReason = "Stop Reason FULL_LOAD_ONLY_FINISHED";
                r.stopped = Instant.now();
            } else {
                r.status = "running";
            }
        };
    }

    public static Consumer<Replicable> fails(String message) {
        return r -> {
            r.status = "failed";
            r.failure = message;
            r.stopReason = "Stop Reason FATAL_ERROR";
            r.stopped = Instant.now();
            r.tablesErrored = 1;
        };
    }

    public static Consumer<Replicable> stopped(String reason) {
        return r -> {
            r.status = "stopped";
            r.stopReason = reason;
            r.stopped = Instant.now();
        };
    }

    /** A classic replication task. */
    public final class Task extends Replicable {
        public final Instance instance;

        Task(String identifier, String arn, String migrationType, Instance instance, Endpoint source, Endpoint target) {
            super(identifier, arn, migrationType, source, target, "ready");
            this.instance = instance;
        }

        @Override
        List<Consumer<Replicable>> defaultStart(String type) {
            List<Consumer<Replicable>> steps = new ArrayList<>();
            // a full-load task's resume-processing loads the tables not (fully) loaded yet (StartReplicationTaskType)
            boolean load = migrationType.startsWith("full-load")
                    && (!type.equals("resume-processing") || migrationType.equals("full-load"));
            if (load) {
                steps.add(loading(0));
                steps.add(loading(50));
                steps.add(fullLoadFinished());
            } else {
                steps.add(status("running"));
            }
            return steps;
        }

        @Override
        String startingStatus() {
            return "starting";
        }
    }

    /** A DMS Serverless replication config and its replication. */
    public final class Config extends Replicable {
        Config(String identifier, String arn, String type, Endpoint source, Endpoint target) {
            super(identifier, arn, type, source, target, "created");
        }

        boolean provisioned() {
            return started != null || !status.equals("created");
        }

        @Override
        List<Consumer<Replicable>> defaultStart(String type) {
            List<Consumer<Replicable>> steps = new ArrayList<>(List.of(status("provisioning_capacity"),
                    status("replication_starting")));
            boolean load = migrationType.startsWith("full-load") && !type.equals("resume-processing");
            if (load) {
                steps.add(loading(0));
                steps.add(loading(50));
                steps.add(fullLoadFinished());
            } else {
                steps.add(status("running"));
            }
            return steps;
        }

        @Override
        String startingStatus() {
            return "initializing";
        }
    }

    // ---- the wire protocol

    private static final class Fault extends RuntimeException {
        final String type;

        Fault(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        int status = 200;
        JsonNode response;
        synchronized (this) {
            try {
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(PREFIX)) {
                    throw new Fault("UnknownOperationException", "expected POST / with X-Amz-Target: " + PREFIX + "<Operation>");
                }
                String operation = target.substring(PREFIX.length());
                boolean throttles = throttleNext > 0 && (throttledOperation == null || throttledOperation.equals(operation));
                if (throttles && throttleSkip > 0) {
                    throttleSkip--;
                    throttles = false;
                }
                if (throttles) {
                    throttleNext--;
                    throttled++;
                    throw new Fault("ThrottlingException", "Rate exceeded");
                }
                calls.add(operation);
                JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
                response = dispatch(operation, request);
            } catch (Fault f) {
                status = 400;
                response = JSON.createObjectNode().put("__type", f.type).put("message", f.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                response = JSON.createObjectNode().put("__type", "InternalFailure").put("message", String.valueOf(e));
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(response);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private JsonNode dispatch(String operation, JsonNode req) {
        return switch (operation) {
            case "DescribeReplicationTasks" -> describeTasks(req);
            case "StartReplicationTask" -> startTask(req);
            case "StopReplicationTask" -> stopTask(req);
            case "DescribeTableStatistics" -> tableStatistics(req, "ReplicationTaskArn", tasks, "TableStatistics");
            case "ReloadTables" -> reload(req, "ReplicationTaskArn", tasks);
            case "DescribeReplicationInstances" -> describeInstances(req);
            case "TestConnection" -> testConnection(req);
            case "DescribeConnections" -> describeConnections(req);
            case "DescribeReplicationConfigs" -> describeConfigs(req);
            case "DescribeReplications" -> describeReplications(req);
            case "StartReplication" -> startReplication(req);
            case "StopReplication" -> stopReplication(req);
            case "DescribeReplicationTableStatistics" ->
                    tableStatistics(req, "ReplicationConfigArn", configs, "ReplicationTableStatistics");
            case "ReloadReplicationTables" -> reload(req, "ReplicationConfigArn", configs);
            default -> throw new Fault("UnknownOperationException", "DmsFake does not implement " + operation);
        };
    }

    // -- classic tasks

    private JsonNode describeTasks(JsonNode req) {
        Map<String, Function<Task, Collection<String>>> filters = Map.of(
                "replication-task-arn", t -> List.of(t.arn),
                "replication-task-id", t -> List.of(t.identifier),
                "migration-type", t -> List.of(t.migrationType),
                "endpoint-arn", t -> List.of(t.source.arn, t.target.arn),
                "replication-instance-arn", t -> List.of(t.instance.arn));
        List<Task> matching = filter(tasks.values(), req, filters);
        if (matching.isEmpty()) {
            throw new Fault("ResourceNotFoundFault", "No Tasks found matching provided filters");
        }
        Page<Task> page = page(matching, req, 100, 20, 100);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("ReplicationTasks");
        for (Task t : page.items()) {
            t.advance();
            list.add(task(t));
        }
        page.marker(out);
        return out;
    }

    private JsonNode startTask(JsonNode req) {
        Task t = required(tasks, req, "ReplicationTaskArn", "Replication task");
        String type = text(req, "StartReplicationTaskType");
        if (type == null) {
            throw new Fault("InvalidParameterValueException", "StartReplicationTaskType is required");
        }
        start(t, type);
        return JSON.createObjectNode().set("ReplicationTask", task(t));
    }

    private JsonNode stopTask(JsonNode req) {
        Task t = required(tasks, req, "ReplicationTaskArn", "Replication task");
        stop(t, "Replication task");
        return JSON.createObjectNode().set("ReplicationTask", task(t));
    }

    private void start(Replicable r, String type) {
        if (!List.of("start-replication", "resume-processing", "reload-target").contains(type)) {
            throw new Fault("InvalidParameterValueException", "Invalid start replication type: " + type);
        }
        if (!List.of("ready", "created", "stopped", "failed").contains(r.status)) {
            throw new Fault("InvalidResourceStateFault", "Replication is currently " + r.status + " and cannot be started");
        }
        if (type.equals("resume-processing") && r.started == null && r.migrationType.startsWith("full-load")) {
            throw new Fault("InvalidResourceStateFault", "Resume processing is not valid for a task that never ran:"
                    + " use start-replication");
        }
        r.startTypes.add(type);
        r.status = r.startingStatus();
        r.started = Instant.now();
        r.stopReason = null;
        r.failure = null;
        r.script.clear();
        r.script.addAll(r.onStart != null ? r.onStart : r.defaultStart(type));
    }

    private void stop(Replicable r, String what) {
        if (List.of("ready", "created", "stopped", "failed", "stopping").contains(r.status)) {
            throw new Fault("InvalidResourceStateFault", what + " is not running (it is " + r.status + ")");
        }
        r.status = "stopping";
        r.script.clear();
        r.script.add(stopped("Stop Reason NORMAL"));
    }

    private ObjectNode task(Task t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ReplicationTaskIdentifier", t.identifier);
        n.put("SourceEndpointArn", t.source.arn);
        n.put("TargetEndpointArn", t.target.arn);
        n.put("ReplicationInstanceArn", t.instance.arn);
        n.put("MigrationType", t.migrationType);
        n.put("TableMappings", t.tableMappings);
        n.put("ReplicationTaskSettings", "{\"Logging\":{\"EnableLogging\":true}}");
        n.put("Status", t.status);
        putIf(n, "LastFailureMessage", t.failure);
        putIf(n, "StopReason", t.stopReason);
        time(n, "ReplicationTaskCreationDate", t.created);
        time(n, "ReplicationTaskStartDate", t.started);
        putIf(n, "RecoveryCheckpoint", t.recoveryCheckpoint);
        n.put("ReplicationTaskArn", t.arn);
        n.set("ReplicationTaskStats", stats(t));
        return n;
    }

    private ObjectNode stats(Replicable r) {
        ObjectNode s = JSON.createObjectNode();
        putIf(s, "FullLoadProgressPercent", r.progress);
        if (r.started != null) {
            s.put("ElapsedTimeMillis", Math.max(0, Instant.now().toEpochMilli() - r.started.toEpochMilli()));
        }
        putIf(s, "TablesLoaded", r.tablesLoaded);
        putIf(s, "TablesLoading", r.tablesLoading);
        putIf(s, "TablesQueued", r.tablesQueued);
        putIf(s, "TablesErrored", r.tablesErrored);
        time(s, "StartDate", r.started);
        time(s, "StopDate", r.stopped);
        time(s, "FullLoadStartDate", r.fullLoadStarted);
        time(s, "FullLoadFinishDate", r.fullLoadFinished);
        return s;
    }

    private JsonNode tableStatistics(JsonNode req, String arnMember, Map<String, ? extends Replicable> all, String listMember) {
        Replicable r = required(all, req, arnMember, "Replication");
        Map<String, Function<TableStats, Collection<String>>> filters = Map.of(
                "schema-name", s -> List.of(s.schema), "table-name", s -> List.of(s.table), "table-state", s -> List.of(s.state));
        Page<TableStats> page = page(filter(r.tables, req, filters), req, 100, 20, 500);
        ObjectNode out = JSON.createObjectNode();
        out.put(arnMember, r.arn);
        ArrayNode list = out.putArray(listMember);
        for (TableStats s : page.items()) {
            ObjectNode n = list.addObject();
            n.put("SchemaName", s.schema);
            n.put("TableName", s.table);
            n.put("Inserts", s.inserts);
            n.put("Deletes", s.deletes);
            n.put("Updates", s.updates);
            n.put("Ddls", s.ddls);
            n.put("FullLoadRows", s.fullLoadRows);
            n.put("FullLoadCondtnlChkFailedRows", 0);
            n.put("FullLoadErrorRows", 0);
            n.put("FullLoadReloaded", s.reloaded);
            time(n, "LastUpdateTime", s.lastUpdate);
            n.put("TableState", s.state);
            n.put("ValidationPendingRecords", 0);
            n.put("ValidationFailedRecords", 0);
            n.put("ValidationSuspendedRecords", 0);
            n.put("ValidationState", s.validationState);
        }
        page.marker(out);
        return out;
    }

    private JsonNode reload(JsonNode req, String arnMember, Map<String, ? extends Replicable> all) {
        Replicable r = required(all, req, arnMember, "Replication");
        if (!r.status.equals("running")) {
            throw new Fault("InvalidResourceStateFault", "Tables can be reloaded only while the replication is running"
                    + " (it is " + r.status + ")");
        }
        String option = req.path("ReloadOption").asText("data-reload");
        for (JsonNode t : req.path("TablesToReload")) {
            String schema = t.path("SchemaName").asText(null);
            String table = t.path("TableName").asText(null);
            if (schema == null || table == null) {
                throw new Fault("InvalidParameterValueException", "TablesToReload needs SchemaName and TableName");
            }
            r.reloads.add(schema + "." + table + ":" + option);
            r.tables.stream().filter(s -> s.schema.equals(schema) && s.table.equals(table)).forEach(s -> {
                if (option.equals("data-reload")) {
                    s.state = "Table is being reloaded";
                    s.reloaded = true;
                }
            });
        }
        return JSON.createObjectNode().put(arnMember, r.arn);
    }

    // -- instances and connections

    private JsonNode describeInstances(JsonNode req) {
        Map<String, Function<Instance, Collection<String>>> filters = Map.of(
                "replication-instance-arn", i -> List.of(i.arn), "replication-instance-id", i -> List.of(i.identifier));
        List<Instance> matching = filter(instances.values(), req, filters);
        if (matching.isEmpty()) {
            throw new Fault("ResourceNotFoundFault", "No replication instance found matching provided filters");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("ReplicationInstances");
        for (Instance i : matching) {
            ObjectNode n = list.addObject();
            n.put("ReplicationInstanceIdentifier", i.identifier);
            n.put("ReplicationInstanceClass", "dms.t3.medium");
            n.put("ReplicationInstanceStatus", "available");
            n.put("ReplicationInstanceArn", i.arn);
        }
        return out;
    }

    private JsonNode testConnection(JsonNode req) {
        Instance i = required(instances, req, "ReplicationInstanceArn", "Replication instance");
        Endpoint e = required(endpoints, req, "EndpointArn", "Endpoint");
        String key = i.arn + "|" + e.arn;
        Connection c = connections.get(key);
        if (c != null && c.status.equals("testing")) {
            throw new Fault("InvalidResourceStateFault", "A test of this connection is already in progress");
        }
        if (instanceModifying) {
            throw new Fault("InvalidResourceStateFault", "Replication instance " + i.arn + " is currently modifying");
        }
        c = new Connection(i, e);
        connections.put(key, c);
        return JSON.createObjectNode().set("Connection", connection(c));
    }

    private JsonNode describeConnections(JsonNode req) {
        Map<String, Function<Connection, Collection<String>>> filters = Map.of(
                "endpoint-arn", c -> List.of(c.endpoint.arn), "replication-instance-arn", c -> List.of(c.instance.arn));
        List<Connection> matching = filter(connections.values(), req, filters);
        if (matching.isEmpty()) {
            throw new Fault("ResourceNotFoundFault", "No connections found matching provided filters");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("Connections");
        for (Connection c : matching) {
            if (c.status.equals("testing") && !connectionTestsHang) {
                c.failure = connectionFailures.get(c.endpoint.arn);
                c.status = c.failure == null ? "successful" : "failed";
            }
            list.add(connection(c));
        }
        return out;
    }

    private ObjectNode connection(Connection c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ReplicationInstanceArn", c.instance.arn);
        n.put("EndpointArn", c.endpoint.arn);
        n.put("Status", c.status);
        putIf(n, "LastFailureMessage", c.failure);
        n.put("EndpointIdentifier", c.endpoint.identifier);
        n.put("ReplicationInstanceIdentifier", c.instance.identifier);
        return n;
    }

    // -- DMS Serverless

    private static final Map<String, Function<Config, Collection<String>>> CONFIG_FILTERS = Map.of(
            "replication-config-arn", c -> List.of(c.arn), "replication-config-id", c -> List.of(c.identifier));

    private JsonNode describeConfigs(JsonNode req) {
        List<Config> matching = filter(configs.values(), req, CONFIG_FILTERS);
        if (matching.isEmpty()) {
            throw new Fault("ResourceNotFoundFault", "No replication configs found matching provided filters");
        }
        Page<Config> page = page(matching, req, 100, 20, 100);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("ReplicationConfigs");
        for (Config c : page.items()) {
            ObjectNode n = list.addObject();
            n.put("ReplicationConfigIdentifier", c.identifier);
            n.put("ReplicationConfigArn", c.arn);
            n.put("SourceEndpointArn", c.source.arn);
            n.put("TargetEndpointArn", c.target.arn);
            n.put("ReplicationType", c.migrationType);
            n.putObject("ComputeConfig").put("MaxCapacityUnits", 16).put("MinCapacityUnits", 2).put("MultiAZ", false);
            n.put("TableMappings", c.tableMappings);
            time(n, "ReplicationConfigCreateTime", c.created);
        }
        page.marker(out);
        return out;
    }

    private JsonNode describeReplications(JsonNode req) {
        List<Config> matching = filter(configs.values(), req, CONFIG_FILTERS).stream().filter(Config::provisioned).toList();
        if (matching.isEmpty()) {
            throw new Fault("ResourceNotFoundFault", "No replications found matching provided filters");
        }
        Page<Config> page = page(matching, req, 100, 20, 100);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("Replications");
        for (Config c : page.items()) {
            c.advance();
            list.add(replication(c));
        }
        page.marker(out);
        return out;
    }

    private JsonNode startReplication(JsonNode req) {
        Config c = required(configs, req, "ReplicationConfigArn", "Replication config");
        String type = text(req, "StartReplicationType");
        if (type == null) {
            throw new Fault("InvalidParameterValueException", "StartReplicationType is required");
        }
        start(c, type);
        return JSON.createObjectNode().set("Replication", replication(c));
    }

    private JsonNode stopReplication(JsonNode req) {
        Config c = required(configs, req, "ReplicationConfigArn", "Replication config");
        stop(c, "Replication");
        return JSON.createObjectNode().set("Replication", replication(c));
    }

    private ObjectNode replication(Config c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ReplicationConfigIdentifier", c.identifier);
        n.put("ReplicationConfigArn", c.arn);
        n.put("SourceEndpointArn", c.source.arn);
        n.put("TargetEndpointArn", c.target.arn);
        n.put("ReplicationType", c.migrationType);
        n.put("Status", c.status);
        ObjectNode provision = n.putObject("ProvisionData");
        boolean up = !List.of("created", "stopped", "failed", "initializing").contains(c.status);
        provision.put("ProvisionState", up ? "provisioned" : "deprovisioned");
        provision.put("ProvisionedCapacityUnits", up ? 4 : 0);
        putIf(n, "StopReason", c.stopReason);
        if (c.failure != null) {
            n.putArray("FailureMessages").add(c.failure);
        }
        n.set("ReplicationStats", stats(c));
        putIf(n, "StartReplicationType", c.startTypes.isEmpty() ? null : c.startTypes.get(c.startTypes.size() - 1));
        putIf(n, "RecoveryCheckpoint", c.recoveryCheckpoint);
        time(n, "ReplicationCreateTime", c.created);
        time(n, "ReplicationUpdateTime", Instant.now());
        time(n, "ReplicationLastStopTime", c.stopped);
        return n;
    }

    // ---- helpers: filters, pages, members

    private static <T> List<T> filter(Collection<T> items, JsonNode req, Map<String, Function<T, Collection<String>>> known) {
        List<T> result = new ArrayList<>(items);
        for (JsonNode f : req.path("Filters")) {
            String name = f.path("Name").asText();
            Function<T, Collection<String>> values = known.get(name);
            if (values == null) {
                throw new Fault("InvalidParameterValueException", "Invalid filter name: " + name + " (valid: "
                        + String.join(", ", known.keySet()) + ")");
            }
            List<String> wanted = new ArrayList<>();
            f.path("Values").forEach(v -> wanted.add(v.asText()));
            result.removeIf(item -> values.apply(item).stream().noneMatch(wanted::contains));
        }
        return result;
    }

    private record Page<T>(List<T> items, String next) {
        void marker(ObjectNode out) {
            if (next != null) {
                out.put("Marker", next);
            }
        }
    }

    private static <T> Page<T> page(List<T> all, JsonNode req, int defaultSize, int min, int max) {
        int size = req.has("MaxRecords") ? req.get("MaxRecords").asInt() : defaultSize;
        if (size < min || size > max) {
            throw new Fault("InvalidParameterValueException", "MaxRecords must be between " + min + " and " + max);
        }
        int from = 0;
        if (req.hasNonNull("Marker")) {
            String marker = req.get("Marker").asText();
            if (!marker.startsWith("fake-marker-")) {
                throw new Fault("InvalidParameterValueException", "Invalid marker: " + marker);
            }
            from = Integer.parseInt(marker.substring("fake-marker-".length()));
        }
        int to = Math.min(all.size(), from + size);
        return new Page<>(all.subList(Math.min(from, to), to), to < all.size() ? "fake-marker-" + to : null);
    }

    private static <T> T required(Map<String, T> all, JsonNode req, String member, String what) {
        String arn = text(req, member);
        if (arn == null) {
            throw new Fault("InvalidParameterValueException", member + " is required");
        }
        T found = all.get(arn);
        if (found == null) {
            throw new Fault("ResourceNotFoundFault", what + " " + arn + " not found");
        }
        return found;
    }

    private static String text(JsonNode req, String member) {
        JsonNode v = req.get(member);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void putIf(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    private static void putIf(ObjectNode n, String key, Integer value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    /** Timestamps in the JSON protocol: epoch seconds, with a fraction. */
    private static void time(ObjectNode n, String key, Instant t) {
        if (t != null) {
            n.put(key, t.toEpochMilli() / 1000.0);
        }
    }

    /** The endpoint as an AWS_ENDPOINT_URL value. */
    @Override
    public String toString() {
        return endpoint().toString();
    }
}
