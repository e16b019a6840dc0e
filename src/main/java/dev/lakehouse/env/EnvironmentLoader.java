package dev.lakehouse.env;

import dev.lakehouse.cli.LakehouseException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Resolves an {@link Environment} from environments/NAME/lakehouse.yaml, the Terraform output
 * {@code lakehouse}, flags, environment variables and defaults, keeping the source of each value.
 */
public final class EnvironmentLoader {
    public static final String ENVIRONMENTS = "environments";
    public static final String ENV_FILE = "lakehouse.yaml";
    public static final String BACKEND_FILE = "backend.conf";
    public static final String DEFAULT_ENV = "local";
    /** The AWS profile name of the original project, used when it exists and nothing else is set. */
    public static final String DEFAULT_PROFILE = "serverless-data-lakehouse";
    /** Athena's price per TB scanned in most regions (USD), unless lakehouse.yaml says otherwise. */
    public static final double DEFAULT_ATHENA_PRICE_PER_TB = 5.0;

    /** Keys of the Terraform output {@code lakehouse} that the CLI reads; terraform/ must produce them all. */
    public static final List<String> OUTPUT_KEYS = List.of(
            "region", "account_id", "raw_zone", "warehouse", "glue_database", "glue_raw_database",
            "athena_workgroup", "athena_result_location", "dms_tasks", "dms_replications");

    /** SDK service ids whose AWS_ENDPOINT_URL_&lt;ID&gt; override the CLI honours (and shows). */
    public static final List<String> ENDPOINT_SERVICES = List.of(
            "STS", "S3", "GLUE", "ATHENA", "DATABASE_MIGRATION_SERVICE", "CLOUDWATCH", "DYNAMODB", "KMS");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    /** What the command line says; null fields were not given. */
    public record Request(String env, String profile, String region, Path configDir) {
        public static Request none() {
            return new Request(null, null, null, null);
        }
    }

    private final SystemEnvironment system;

    public EnvironmentLoader(SystemEnvironment system) {
        this.system = system;
    }

    /** A found config home and how it was found. */
    public record Home(Path path, String source) {
    }

    /**
     * The directory holding environments/: {@code --config-dir}, else $LAKEHOUSE_HOME, else the
     * first directory at or above the working directory that has one, else the installation's own
     * (the launcher passes it as {@code -Dlakehouse.home}).
     */
    public Home findHome(Path configDirFlag) {
        if (configDirFlag != null) {
            return checkedHome(system.workingDirectory().resolve(configDirFlag), "flag --config-dir");
        }
        String fromEnv = system.variable("LAKEHOUSE_HOME");
        if (fromEnv != null) {
            return checkedHome(system.workingDirectory().resolve(fromEnv), "environment variable LAKEHOUSE_HOME");
        }
        for (Path dir = system.workingDirectory(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(ENVIRONMENTS))) {
                return new Home(dir, "found above the working directory");
            }
        }
        String installed = system.property("lakehouse.home");
        if (installed != null && Files.isDirectory(Path.of(installed).resolve(ENVIRONMENTS))) {
            return new Home(Path.of(installed).toAbsolutePath().normalize(), "the installation's own");
        }
        throw LakehouseException.usage("Cannot find an " + ENVIRONMENTS + "/ directory in " + system.workingDirectory()
                + " or above: run inside a lakehouse checkout, or pass --config-dir DIR, or set LAKEHOUSE_HOME");
    }

    private static Home checkedHome(Path dir, String source) {
        Path normalized = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(normalized.resolve(ENVIRONMENTS))) {
            throw LakehouseException.usage("No " + ENVIRONMENTS + "/ directory in " + normalized + " (from " + source
                    + "): point it at the directory that holds environments/");
        }
        return new Home(normalized, source);
    }

    /** The names of the environments under home/environments/, sorted. */
    public static List<String> names(Path home) {
        try (Stream<Path> dirs = Files.list(home.resolve(ENVIRONMENTS))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(ENV_FILE)))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw LakehouseException.failed("Cannot list " + home.resolve(ENVIRONMENTS) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves the env without reading Terraform state: enough for commands that need only the
     * region, profile and account (e.g. whoami).
     */
    public Environment load(Request request) {
        return load(request, null);
    }

    /**
     * Resolves the env; when {@code stateReader} is given and the env has Terraform state, reads
     * the {@code lakehouse} output through it (overrides in lakehouse.yaml still win).
     */
    public Environment load(Request request, Function<TerraformState.Location, byte[]> stateReader) {
        Home home = findHome(request.configDir());
        List<Setting> settings = new ArrayList<>();
        settings.add(new Setting("config_dir", home.path(), home.source()));

        String name;
        if (request.env() != null) {
            name = request.env();
            settings.add(new Setting("env", name, "flag --env"));
        } else if (system.variable("LAKEHOUSE_ENV") != null) {
            name = system.variable("LAKEHOUSE_ENV");
            settings.add(new Setting("env", name, "environment variable LAKEHOUSE_ENV"));
        } else {
            name = DEFAULT_ENV;
            settings.add(new Setting("env", name, "default"));
        }
        Path directory = home.path().resolve(ENVIRONMENTS).resolve(name);
        if (!ENV_NAME.matcher(name).matches() || !Files.isRegularFile(directory.resolve(ENV_FILE))) {
            List<String> known = names(home.path());
            throw LakehouseException.usage("Unknown env '" + name + "': " + home.path().resolve(ENVIRONMENTS)
                    + " has " + (known.isEmpty() ? "none" : String.join(", ", known))
                    + " (each is a folder with a " + ENV_FILE + ")");
        }
        String fileName = ENVIRONMENTS + "/" + name + "/" + ENV_FILE;
        ConfigNode file = ConfigNode.read(directory.resolve(ENV_FILE), fileName);
        String kind = file.choice("type", null, "local", "aws");
        if (kind == null) {
            throw file.error("type", "required key is missing (allowed: local, aws)");
        }
        settings.add(new Setting("type", kind, fileName));
        Builder b = new Builder(name, home.path(), directory, fileName, settings);
        if (kind.equals("local")) {
            loadLocal(file, b);
        } else {
            loadAws(file, request, b, stateReader);
        }
        return b.build(kind.equals("local") ? Environment.Kind.local : Environment.Kind.aws);
    }

    private void loadLocal(ConfigNode file, Builder b) {
        file.allowOnly("type", "namespace", "warehouse", "catalog", "raw_zone");
        b.namespace = b.pick("namespace", file.string("namespace"), "lakehouse");
        b.warehouse = localPath(b, "warehouse", file.string("warehouse"), ".lakehouse/warehouse").toString();
        b.catalogDb = localPath(b, "catalog", file.string("catalog"), ".lakehouse/catalog.db");
        b.rawZone = localPath(b, "raw_zone", file.string("raw_zone"), ".lakehouse/raw").toString();
    }

    private static Path localPath(Builder b, String key, String configured, String defaultValue) {
        String value = b.pick(key, configured, defaultValue);
        if (value.startsWith("s3://")) {
            throw new ConfigException(b.fileName + ": " + key + ": a local env keeps its data on disk, not in '"
                    + value + "' (use a path; an aws env reads S3 locations from Terraform)");
        }
        Path resolved = b.home.resolve(value).normalize();
        b.replace(key, resolved);
        return resolved;
    }

    private void loadAws(ConfigNode file, Request request, Builder b,
                         Function<TerraformState.Location, byte[]> stateReader) {
        file.allowOnly("type", "account_id", "region", "profile", "terraform", "overrides", "athena_price_per_tb");
        Double price = file.number("athena_price_per_tb");
        if (price != null && price < 0) {
            throw file.error("athena_price_per_tb", "must not be negative");
        }
        b.athenaPricePerTb = price == null ? DEFAULT_ATHENA_PRICE_PER_TB : price;
        b.settings.add(new Setting("athena_price_per_tb", b.athenaPricePerTb,
                price == null ? "default (Athena's list price)" : b.fileName));

        String account = file.requiredString("account_id");
        if (!ACCOUNT.matcher(account).matches()) {
            throw file.error("account_id", "'" + account + "' is not a 12-digit AWS account id");
        }
        b.accountId = account;
        b.settings.add(new Setting("account_id", account, b.fileName));

        if (request.region() != null) {
            b.region = request.region();
            b.settings.add(new Setting("region", b.region, "flag --region"));
        } else {
            b.region = file.requiredString("region");
            b.settings.add(new Setting("region", b.region, b.fileName));
        }
        if (!REGION.matcher(b.region).matches()) {
            throw LakehouseException.usage("'" + b.region + "' is not an AWS region name (like eu-west-1)");
        }

        if (request.profile() != null) {
            b.profile = request.profile();
            b.settings.add(new Setting("profile", b.profile, "flag --profile"));
        } else if (file.string("profile") != null) {
            b.profile = file.string("profile");
            b.settings.add(new Setting("profile", b.profile, b.fileName));
        } else if (profileExists(DEFAULT_PROFILE)) {
            b.profile = DEFAULT_PROFILE;
            b.settings.add(new Setting("profile", b.profile, "default (defined in the AWS config files)"));
        } else {
            b.settings.add(new Setting("profile", null, "AWS SDK default credential chain"));
        }

        for (String service : ENDPOINT_SERVICES) {
            String var = "AWS_ENDPOINT_URL_" + service;
            String value = system.variable(var);
            if (value != null) {
                b.endpoints.put(service, endpointUri(var, value));
                b.settings.add(new Setting("endpoint_" + service.toLowerCase(java.util.Locale.ROOT), value,
                        "environment variable " + var));
            }
        }
        String global = system.variable("AWS_ENDPOINT_URL");
        if (global != null) {
            b.endpoints.put("", endpointUri("AWS_ENDPOINT_URL", global));
            b.settings.add(new Setting("endpoint", global, "environment variable AWS_ENDPOINT_URL"));
        }

        b.terraformState = stateLocation(file, b);

        Map<String, Object> outputs = Map.of();
        String outputsSource = null;
        if (stateReader != null && b.terraformState != null) {
            outputsSource = "Terraform output (" + b.terraformState.describe() + ")";
            outputs = TerraformState.lakehouseOutput(stateReader.apply(b.terraformState),
                    b.terraformState.describe(), b.name);
        }
        ConfigNode overridesNode = file.child("overrides");
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (overridesNode != null) {
            overridesNode.allowOnly(OUTPUT_KEYS.toArray(String[]::new));
            for (String key : overridesNode.keys()) {
                overrides.put(key, key.startsWith("dms_") ? overridesNode.stringMap(key) : overridesNode.string(key));
            }
        }
        String overrideSource = b.fileName + " (overrides)";

        for (String key : List.of("region", "account_id")) {
            Object fromTerraform = outputs.get(key);
            Object declared = key.equals("region") ? b.region : b.accountId;
            if (fromTerraform != null && !fromTerraform.equals(declared) && !(key.equals("region") && request.region() != null)) {
                throw new ConfigException(b.fileName + ": " + key + " is '" + declared + "' but the Terraform state "
                        + b.terraformState.describe() + " was applied with '" + fromTerraform
                        + "': is backend.conf pointing at another env's state?");
            }
        }
        Picker pick = new Picker(b, overrides, overrideSource, outputs, outputsSource);
        b.namespace = (String) pick.value("namespace", "glue_database", v -> v);
        b.rawDatabase = (String) pick.value("glue_raw_database", "glue_raw_database", v -> v);
        b.warehouse = (String) pick.value("warehouse", "warehouse", v -> s3Location(b, "warehouse", v));
        b.rawZone = (String) pick.value("raw_zone", "raw_zone", v -> s3Location(b, "raw_zone", v));
        b.athenaWorkgroup = (String) pick.value("athena_workgroup", "athena_workgroup", v -> v);
        b.athenaResultLocation = (String) pick.value("athena_result_location", "athena_result_location",
                v -> s3Location(b, "athena_result_location", v));
        b.dmsTasks = stringMap(pick.value("dms_tasks", "dms_tasks", v -> v));
        b.dmsReplications = stringMap(pick.value("dms_replications", "dms_replications", v -> v));
    }

    /** Picks a name for an AWS env: an override in lakehouse.yaml wins over the Terraform output. */
    private record Picker(Builder b, Map<String, Object> overrides, String overrideSource,
                          Map<String, Object> outputs, String outputsSource) {
        Object value(String setting, String key, Function<Object, Object> normalize) {
            Object value;
            String source;
            if (overrides.containsKey(key)) {
                value = overrides.get(key);
                source = overrideSource;
            } else if (outputs.get(key) != null) {
                value = outputs.get(key);
                source = outputsSource;
            } else {
                value = null;
                source = outputsSource == null && b.terraformState != null ? "not read (needs the Terraform state)" : "not set";
            }
            value = value == null ? null : normalize.apply(value);
            b.settings.add(new Setting(setting, value, source));
            return value;
        }
    }

    private TerraformState.Location stateLocation(ConfigNode file, Builder b) {
        ConfigNode terraform = file.child("terraform");
        TerraformState.Location location = null;
        String source = b.fileName;
        if (terraform != null) {
            terraform.allowOnly("backend", "state_file");
            if (terraform.has("backend") && terraform.has("state_file")) {
                throw terraform.error("state_file", "give either backend or state_file, not both");
            }
            if (terraform.string("state_file") != null) {
                location = new TerraformState.LocalFile(b.directory.resolve(terraform.string("state_file")).normalize());
            } else if (terraform.string("backend") != null) {
                Path conf = b.directory.resolve(terraform.string("backend")).normalize();
                location = TerraformState.parseBackendConfig(conf, b.home.relativize(conf).toString());
            }
        } else if (Files.isRegularFile(b.directory.resolve(BACKEND_FILE))) {
            Path conf = b.directory.resolve(BACKEND_FILE);
            source = b.home.relativize(conf).toString();
            location = TerraformState.parseBackendConfig(conf, source);
        }
        b.settings.add(new Setting("terraform_state", location == null ? null : location.describe(),
                location == null ? "none: names come from overrides in " + b.fileName : source));
        return location;
    }

    private boolean profileExists(String profile) {
        try {
            return ProfileFile.defaultProfileFile().profile(profile).isPresent();
        } catch (RuntimeException e) {
            return false; // unreadable AWS config files: fall back to the default chain
        }
    }

    private static URI endpointUri(String variable, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(value, "expected http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw LakehouseException.usage("Environment variable " + variable + ": '" + value
                    + "' is not an endpoint URL (expected http(s)://host[:port])");
        }
    }

    private static String s3Location(Builder b, String key, Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        if (!s.startsWith("s3://") || s.length() <= "s3://".length()) {
            throw new ConfigException(b.fileName + ": " + key + ": '" + s + "' is not an S3 location (s3://bucket/prefix)");
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ConfigException("expected a mapping of names to ARNs but found '" + value + "'");
        }
        Map<String, String> map = new LinkedHashMap<>();
        ((Map<String, Object>) value).forEach((k, v) -> map.put(k, v == null ? null : v.toString()));
        return map;
    }

    /** Collects values and their sources while loading. */
    private static final class Builder {
        final String name;
        final Path home;
        final Path directory;
        final String fileName;
        final List<Setting> settings;
        String region, profile, accountId, namespace, warehouse, rawZone, rawDatabase;
        String athenaWorkgroup, athenaResultLocation;
        double athenaPricePerTb = DEFAULT_ATHENA_PRICE_PER_TB;
        Path catalogDb;
        Map<String, String> dmsTasks = Map.of(), dmsReplications = Map.of();
        final Map<String, URI> endpoints = new LinkedHashMap<>();
        TerraformState.Location terraformState;

        Builder(String name, Path home, Path directory, String fileName, List<Setting> settings) {
            this.name = name;
            this.home = home;
            this.directory = directory;
            this.fileName = fileName;
            this.settings = settings;
        }

        /** A value from the env file, else the default; records which. */
        String pick(String key, String configured, String defaultValue) {
            String value = configured != null ? configured : defaultValue;
            settings.add(new Setting(key, value, configured != null ? fileName : "default"));
            return value;
        }

        /** Replaces the recorded value of a setting (e.g. a path once resolved), keeping its source. */
        void replace(String key, Object value) {
            for (int i = settings.size() - 1; i >= 0; i--) {
                if (settings.get(i).name().equals(key)) {
                    settings.set(i, new Setting(key, value, settings.get(i).source()));
                    return;
                }
            }
        }

        Environment build(Environment.Kind kind) {
            return new Environment(name, kind, home, directory, region, profile, accountId, namespace, warehouse,
                    rawZone, catalogDb, rawDatabase, athenaWorkgroup, athenaResultLocation, athenaPricePerTb, dmsTasks, dmsReplications,
                    endpoints, terraformState, settings);
        }
    }
}
