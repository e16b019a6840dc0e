package dev.lakehouse.query;

import dev.lakehouse.cli.LakehouseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ExpressionVisitors;
import org.apache.iceberg.expressions.Expression.Operation;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.UnboundPredicate;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Makes an Iceberg snapshot queryable in DuckDB as a view, from Iceberg's own scan planning: the
 * planned data files (pruned by the query's conditions), minus the rows their position deletes
 * (and deletion vectors) name, minus the rows the equality deletes that Iceberg attached to each
 * file match (so the sequence-number rules are Iceberg's, not ours). DuckDB reads the Parquet.
 */
final class IcebergViews {
    /** What was planned for one table (for --explain). */
    record Plan(String table, long snapshotId, String filter, int dataFiles, int totalDataFiles, long dataBytes,
                int positionDeleteFiles, int equalityDeleteFiles, int deletionVectors) {
    }

    /** A data file a query reads, with the delete files Iceberg's planning applies to it. */
    record PlannedFile(DataFile file, List<DeleteFile> deletes) {
    }

    /**
     * Iceberg's data paths hold {@code col=value} folders of identity partitions, which DuckDB would
     * read as columns: values come from the files, and an imported table's partition values from
     * what its import recorded ({@link PartitionConstants}).
     */
    private static final String NO_HIVE_FOLDERS = ", hive_partitioning = false";

    /** Each row's file, under a name of ours: DuckDB's default, filename, is refused when the table has a column so named. */
    static final String FILE_NAME = ", filename = '__lh_file'";

    private final Connection duck;
    private int counter;

    IcebergViews(Connection duck) {
        this.duck = duck;
    }

    /**
     * Creates view {@code schema.name} with the table's current columns and no plan behind it, for a
     * query that lists tables: reading it fails with one line (a silent empty table would be a wrong
     * answer).
     */
    void registerListed(Table table, String schema, String name) {
        String columns = table.schema().columns().stream()
                .map(c -> "CAST(NULL AS " + DuckTypes.of(c.type()) + ") AS " + DuckTypes.quote(c.name()))
                .collect(Collectors.joining(", "));
        String qualified = schema + "." + name;
        String error = "Table " + qualified + " is read only where the query names it, as in FROM " + qualified
                + ", not by a name in a string (query_table, query)";
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE OR REPLACE VIEW " + DuckTypes.quote(schema) + "." + DuckTypes.quote(name) + " AS SELECT "
                    + columns + " WHERE error(" + DuckTypes.literal(error) + ")");
        } catch (SQLException e) {
            throw LakehouseException.failed("Cannot list table " + qualified + " in the embedded engine: "
                    + LakehouseException.firstLine(e), e);
        }
    }

    /**
     * Creates view {@code schema.name} (the schema exists) over the table's snapshot; returns what was
     * planned. {@code whole}, if planned already ({@link EarlyPlans}), is the snapshot's whole plan,
     * which the filter prunes instead of planning again. {@code current}: the table as it is now,
     * read with its current schema, as Iceberg's reader does (a column dropped or added since the last
     * commit is gone or NULL); time travel reads with the schema the snapshot was written with.
     */
    Plan register(Table table, Snapshot snapshot, boolean current, Expression filter, String schema, String name,
                  List<FileScanTask> whole) {
        Schema columns = current ? table.schema() : table.schemas().get(snapshot == null ? table.schema().schemaId()
                : snapshot.schemaId() == null ? table.schema().schemaId() : snapshot.schemaId());
        if (columns == null) {
            columns = table.schema();
        }
        // Files Iceberg writes carry field ids: read by id, renamed and added columns come out right.
        // Files imported without ids (add-files, snapshot) are matched by name, through the name
        // mapping such imports set, so a rename cannot be followed there.
        boolean byId = !table.properties().containsKey(TableProperties.DEFAULT_NAME_MAPPING)
                && columns.columns().stream().allMatch(c -> c.type().isPrimitiveType());
        if (!byId) {
            refuseRenames(table);
        }
        Expression query = filter;
        Map<Integer, Integer> truncated = truncatedIntegers(table);
        filter = usable(columns, columns, query, truncated);
        // Iceberg's planning binds a filter to the table's current schema, not the snapshot's: after a
        // rename, time travel names each column as today's schema does (a column dropped since, or
        // retyped, is not pushed)
        Expression planned = columns.sameSchema(table.schema()) ? filter : usable(columns, table.schema(), query, truncated);
        List<PlannedFile> tasks = snapshot == null ? List.of() : whole == null ? null : EarlyPlans.prune(table, whole, planned);
        if (tasks == null) {
            tasks = planWith(table, snapshot, planned);
        }
        String view = DuckTypes.quote(schema) + "." + DuckTypes.quote(name);
        int id = ++counter;
        List<String> dataFiles = new ArrayList<>();
        Map<String, DeleteFile> positionDeletes = new LinkedHashMap<>();
        Map<String, DeleteFile> vectors = new LinkedHashMap<>();
        Map<List<Integer>, Map<String, DeleteFile>> equalityByIds = new LinkedHashMap<>();
        // per equality-key group: each data file and the equality delete files Iceberg applies to it
        Map<List<Integer>, Map<String, Set<String>>> applies = new LinkedHashMap<>();
        long bytes = 0;
        long records = 0;
        for (PlannedFile task : tasks) {
            String path = task.file().location();
            dataFiles.add(path);
            bytes += task.file().fileSizeInBytes();
            records += task.file().recordCount();
            for (DeleteFile d : task.deletes()) {
                if (d.content() == FileContent.POSITION_DELETES) {
                    if (d.format() == FileFormat.PUFFIN) { // one Puffin file holds the vectors of many data files
                        vectors.putIfAbsent(d.location() + "@" + d.contentOffset(), d);
                    } else {
                        positionDeletes.putIfAbsent(d.location(), d);
                    }
                } else {
                    List<Integer> ids = d.equalityFieldIds();
                    equalityByIds.computeIfAbsent(ids, k -> new LinkedHashMap<>()).putIfAbsent(d.location(), d);
                    applies.computeIfAbsent(ids, k -> new LinkedHashMap<>())
                            .computeIfAbsent(path, k -> new LinkedHashSet<>()).add(d.location());
                }
            }
        }
        try (Statement s = duck.createStatement()) {
            if (dataFiles.isEmpty()) {
                String empty = columns.columns().stream()
                        .map(c -> "CAST(NULL AS " + DuckTypes.of(c.type()) + ") AS " + DuckTypes.quote(c.name()))
                        .collect(Collectors.joining(", "));
                s.execute("CREATE OR REPLACE VIEW " + view + " AS SELECT " + empty + " WHERE false");
            } else {
                boolean positional = !positionDeletes.isEmpty() || !vectors.isEmpty();
                if (positional && columns.columns().stream().anyMatch(c -> c.name().equalsIgnoreCase("file_row_number"))) {
                    // DuckDB refuses its file_row_number option on such a file and cannot rename it
                    throw LakehouseException.failed("Cannot read table " + schema + "." + name + " with the local engine: its column"
                            + " file_row_number is the name DuckDB's Parquet reader gives the row positions its position deletes"
                            + " are applied by; rename the column, or compact the table (it then has no position deletes)");
                }
                // Equality deletes that apply to every planned file need no per-file bookkeeping: one anti
                // join on the key. Otherwise each file is tagged with the id of the set of deletes it gets.
                // (Iceberg leaves out a delete that a file's column bounds rule out; it is put back where
                // the spec's rules apply it, so that clustered keys do not force the per-file join.)
                Map<List<Integer>, Map<String, Set<String>>> applied = EqualityDeleteSets.widened(table, tasks, applies, equalityByIds);
                Map<List<Integer>, Map<Set<String>, Integer>> deleteSets = new LinkedHashMap<>();
                boolean perFile = false;
                for (var e : applied.entrySet()) {
                    Map<Set<String>, Integer> sets = new LinkedHashMap<>();
                    e.getValue().values().forEach(set -> sets.putIfAbsent(set, sets.size() + 1));
                    deleteSets.put(e.getKey(), sets);
                    perFile |= sets.size() > 1 || e.getValue().size() < dataFiles.size();
                }
                String files = "[" + dataFiles.stream().map(DuckTypes::literal).collect(Collectors.joining(", ")) + "]";
                // an imported table's identity-partition values are what the import recorded per file
                PartitionConstants constants = table.properties().containsKey(TableProperties.DEFAULT_NAME_MAPPING)
                        ? PartitionConstants.of(table, tasks, columns) : null;
                boolean withConstants = constants != null && !constants.isEmpty();
                // By name, columns some files lack (added later, or imported files that never had them: a
                // snapshot of Parquet files merges their footers into one schema) need union_by_name.
                boolean unionByName = !byId;
                // Read by name, union_by_name gives NULL for a column a file lacks: a v3 column added with a
                // default reads its default there (Iceberg-written files carry field ids to tell which lack it)
                Map<Types.NestedField, List<String>> lackingDefaulted = unionByName
                        && !table.properties().containsKey(TableProperties.DEFAULT_NAME_MAPPING)
                        ? filesLacking(s, files, dataFiles, columns) : Map.of();
                // With a schema DuckDB reads no footer before planning, so it is told the row count: without
                // it, a delete anti join builds its hash table on the data instead of on the delete keys.
                String read = "read_parquet(" + files + (byId ? ", schema = " + byFieldId(columns.columns())
                        + ", explicit_cardinality = " + records : "")
                        + (positional || perFile || withConstants || !lackingDefaulted.isEmpty() ? FILE_NAME : "")
                        + (positional ? ", file_row_number = true" : "") + (unionByName ? ", union_by_name = true" : "")
                        // values come from the files, and an imported Hive layout's partition values from the
                        // import's record of each file (PartitionConstants), never from DuckDB's reading of folders
                        + NO_HIVE_FOLDERS + ")";
                Map<String, String> present = unionByName ? presentColumns(s, read) : null;
                List<String> defaults = new ArrayList<>();
                lackingDefaulted.forEach((c, lacking) -> {
                    if (present.containsKey(c.name())) {
                        defaults.add("CASE WHEN __lh_file IN (" + lacking.stream().map(DuckTypes::literal)
                                .collect(Collectors.joining(", ")) + ") THEN " + initialDefault(c) + " ELSE "
                                + DuckTypes.quote(c.name()) + " END AS " + DuckTypes.quote(c.name()));
                    }
                });
                if (!defaults.isEmpty()) {
                    read = "(SELECT * REPLACE (" + String.join(", ", defaults) + ") FROM " + read + ")";
                }
                if (withConstants) {
                    String text = "main.__lh_parttext_" + id;
                    String typed = "main.__lh_part_" + id;
                    s.execute(constants.textTable(text));
                    append(text, constants.textRows());
                    s.execute(constants.typed(typed, text));
                    read = constants.wrap(read, typed, present);
                }
                Set<Integer> widened = widenedFromFloat(table, columns);
                if (table.properties().containsKey(TableProperties.DEFAULT_NAME_MAPPING)) { // files Iceberg did not write
                    widened.addAll(floatInFiles(s, files, columns, widened));
                }
                // read by name, nested columns whose fields were promoted, added or dropped since: in the table's type
                Set<Integer> nestedRecast = new java.util.HashSet<>();
                if (unionByName) {
                    nestedRecast.addAll(promotedWithin(table, columns));
                    nestedRecast.addAll(reshaped(s, columns, present));
                }
                if (!positional && equalityByIds.isEmpty()) {
                    s.execute("CREATE OR REPLACE VIEW " + view + " AS SELECT " + projection(columns, present, widened, nestedRecast, "")
                            + " FROM " + read);
                } else {
                    // Iceberg matches equality keys as values: -0.0 is not 0.0 there, while SQL holds them equal,
                    // and DuckDB's decorrelation of NOT EXISTS merges equal keys before any expression sees the
                    // sign: the sign of each float key is a column of its own on both sides
                    Schema keyNames = byId ? columns : table.schema();
                    List<Types.NestedField> allKeys = equalityByIds.keySet().stream().flatMap(List::stream).distinct()
                            .map(keyNames::findField).filter(java.util.Objects::nonNull).toList();
                    String dataSigns = signColumns(keyNames, allKeys, "");
                    // read by name, a key column no planned file has (added since they were written) is what
                    // Iceberg reads there, its initial default or NULL: the anti joins below compare it
                    String source = read;
                    if (present != null) {
                        Map<String, String> have = withConstants ? presentColumns(s, read) : present;
                        // (for a key inside a struct, s.a, the struct s: NULL where no planned file has it)
                        String missingKeys = allKeys.stream()
                                .map(k -> enclosing(keyNames, k).stream().findFirst().orElse(k)).distinct()
                                .filter(k -> keyNames.columns().contains(k) && !have.containsKey(k.name()))
                                .map(k -> ", " + initialDefault(k) + " AS " + DuckTypes.quote(k.name()))
                                .collect(Collectors.joining());
                        // and a struct holding a key that files may lack (s.b added since) is read as the table's
                        // struct, whose fields the files lack are NULL there
                        String keyStructs = allKeys.stream()
                                .map(k -> enclosing(keyNames, k)).filter(p -> !p.isEmpty()).map(p -> p.get(0)).distinct()
                                .filter(p -> have.containsKey(p.name()))
                                .map(p -> NestedShapes.reshape(DuckTypes.quote(p.name()), p.type(), have.get(p.name())) + " AS "
                                        + DuckTypes.quote(p.name()))
                                .collect(Collectors.joining(", "));
                        source = missingKeys.isEmpty() && keyStructs.isEmpty() ? read : "(SELECT *"
                                + (keyStructs.isEmpty() ? "" : " REPLACE (" + keyStructs + ")") + missingKeys + " FROM " + read + ")";
                    }
                    StringBuilder from = new StringBuilder((dataSigns.isEmpty() ? source : "(SELECT *" + dataSigns + " FROM " + source + ")")
                            + " d");
                    StringBuilder where = new StringBuilder(" WHERE true");
                    if (positional) {
                        String pos = "main.__lh_pos_" + id;
                        s.execute("CREATE OR REPLACE TABLE " + pos + " (file_path VARCHAR, pos BIGINT)");
                        if (!positionDeletes.isEmpty()) {
                            s.execute("INSERT INTO " + pos + " SELECT file_path, pos FROM read_parquet(["
                                    + positionDeletes.keySet().stream().map(DuckTypes::literal).collect(Collectors.joining(", "))
                                    + "]" + NO_HIVE_FOLDERS + ")");
                        }
                        appendVectors(table, pos, vectors.values());
                        where.append(" AND NOT EXISTS (SELECT 1 FROM ").append(pos)
                                .append(" p WHERE p.file_path = d.__lh_file AND p.pos = d.file_row_number)");
                    }
                    int group = 0;
                    for (var e : equalityByIds.entrySet()) {
                        group++;
                        Schema names = byId ? columns : table.schema();
                        List<Types.NestedField> keyFields = e.getKey().stream().map(fid -> names.findField(fid)).toList();
                        // a key may be a field inside a struct (s.a): read by its path, under a name of its own
                        List<String> keys = new ArrayList<>(keyFields.stream().map(k -> keyPath(names, k, "x.") + " AS " + keyAlias(k)).toList());
                        // and whether each struct around it is NULL: Iceberg's reader holds a NULL struct apart from one
                        // whose field is NULL (a key s.a = NULL does not delete a row whose s is NULL)
                        Map<Integer, String> parents = new LinkedHashMap<>();
                        keyFields.forEach(k -> enclosing(names, k).forEach(p -> parents.putIfAbsent(p.fieldId(), "(" + keyPath(names, p, "x.")
                                + " IS NULL) AS " + DuckTypes.quote("__lh_null_" + p.fieldId()))));
                        keys.addAll(parents.values());
                        // by name, delete files written before and after a key's promotion (int to long) differ in
                        // type, and without union_by_name DuckDB reads them all as the first one's
                        String deleteSchema = byId ? ", schema = " + byFieldId(keyFields) : ", union_by_name = true";
                        String signs = signColumns(names, keyFields, "x.");
                        // oldest first, so the view's text does not depend on the order planning found them in
                        String deleteFiles = "[" + e.getValue().values().stream()
                                .sorted(java.util.Comparator.comparing(DeleteFile::dataSequenceNumber, java.util.Comparator.nullsFirst(
                                        java.util.Comparator.<Long>naturalOrder())).thenComparing(DeleteFile::location))
                                .map(DeleteFile::location).map(DuckTypes::literal)
                                .collect(Collectors.joining(", ")) + "]";
                        // delete keys the query's own conditions exclude cannot remove a row it returns
                        String keyFilter = KeyConditions.sql(filter, keyFields.stream()
                                .filter(k -> !widened.contains(k.fieldId()) && names.columns().contains(k))
                                .map(Types.NestedField::name).toList(), "x.");
                        String eq = "main.__lh_eq_" + id + "_" + group;
                        where.append(" AND NOT EXISTS (SELECT 1 FROM ").append(eq).append(" e WHERE ");
                        if (!perFile) {
                            s.execute("CREATE OR REPLACE TABLE " + eq + " AS SELECT " + String.join(", ", keys) + signs + " FROM read_parquet("
                                    + deleteFiles + deleteSchema + NO_HIVE_FOLDERS + ") x WHERE " + keyFilter);
                            where.append("true");
                        } else {
                            Map<Set<String>, Integer> sets = deleteSets.get(e.getKey());
                            String members = "main.__lh_eqset_" + id + "_" + group;
                            String tags = "main.__lh_eqfile_" + id + "_" + group;
                            s.execute("CREATE OR REPLACE TABLE " + members + " (set_id INTEGER, delete_file VARCHAR)");
                            s.execute("CREATE OR REPLACE TABLE " + tags + " (data_file VARCHAR, set_id INTEGER)");
                            List<Object[]> memberRows = new ArrayList<>();
                            sets.forEach((set, setId) -> set.forEach(f -> memberRows.add(new Object[] {setId, f})));
                            append(members, memberRows);
                            List<Object[]> tagRows = new ArrayList<>();
                            applied.get(e.getKey()).forEach((dataFile, set) -> tagRows.add(new Object[] {dataFile, sets.get(set)}));
                            append(tags, tagRows);
                            s.execute("CREATE OR REPLACE TABLE " + eq + " AS SELECT m.set_id, " + String.join(", ", keys) + signs + " FROM read_parquet("
                                    + deleteFiles + deleteSchema + FILE_NAME + NO_HIVE_FOLDERS + ") x JOIN " + members
                                    + " m ON m.delete_file = x.__lh_file"
                                    + " WHERE " + keyFilter);
                            String tag = "t" + group;
                            from.append(" LEFT JOIN ").append(tags).append(' ').append(tag).append(" ON ").append(tag)
                                    .append(".data_file = d.__lh_file");
                            where.append("e.set_id = ").append(tag).append(".set_id");
                        }
                        for (Types.NestedField k : keyFields) {
                            where.append(" AND e.").append(keyAlias(k)).append(" IS NOT DISTINCT FROM ").append(keyPath(names, k, "d."));
                            if (floating(k)) {
                                String sign = signName(k);
                                where.append(" AND e.").append(sign).append(" IS NOT DISTINCT FROM d.").append(sign);
                            }
                        }
                        for (Integer parent : parents.keySet()) {
                            where.append(" AND e.").append(DuckTypes.quote("__lh_null_" + parent)).append(" = (")
                                    .append(keyPath(names, names.findField(parent), "d.")).append(" IS NULL)");
                        }
                        where.append(')');
                    }
                    s.execute("CREATE OR REPLACE VIEW " + view + " AS SELECT " + projection(columns, present, widened, nestedRecast, "d.")
                            + " FROM " + from + where);
                }
            }
        } catch (SQLException e) {
            throw LakehouseException.failed("Cannot read table " + schema + "." + name + " with the local engine: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        int total = snapshot == null ? 0 : Integer.parseInt(snapshot.summary().getOrDefault("total-data-files", "0"));
        return new Plan(schema + "." + name, snapshot == null ? 0 : snapshot.snapshotId(), filter.toString(), dataFiles.size(),
                total, bytes, positionDeletes.size(), equalityByIds.values().stream().mapToInt(Map::size).sum(), vectors.size());
    }

    /** The top-level double columns of {@code columns} that were float in one of the table's schemas: older files hold floats. */
    private static Set<Integer> widenedFromFloat(Table table, Schema columns) {
        Set<Integer> ids = new java.util.HashSet<>();
        for (Types.NestedField c : columns.columns()) {
            if (c.type().typeId() == Type.TypeID.DOUBLE && table.schemas().values().stream()
                    .map(old -> old.findField(c.fieldId()))
                    .anyMatch(old -> old != null && old.type().typeId() == Type.TypeID.FLOAT)) {
                ids.add(c.fieldId());
            }
        }
        return ids;
    }

    /**
     * The top-level struct, list and map columns of {@code columns} with a field inside whose type
     * differs in one of the table's schemas (a promotion: s.a int to long, a list's float elements to
     * double): read by name, older files hold the narrower type.
     */
    private static Set<Integer> promotedWithin(Table table, Schema columns) {
        Set<Integer> ids = new java.util.HashSet<>();
        for (Types.NestedField c : columns.columns()) {
            if (c.type().isPrimitiveType()) {
                continue;
            }
            Map<Integer, Types.NestedField> inner = org.apache.iceberg.types.TypeUtil.indexById(Types.StructType.of(c));
            boolean promoted = inner.values().stream().filter(f -> f.fieldId() != c.fieldId() && f.type().isPrimitiveType())
                    .anyMatch(f -> table.schemas().values().stream().map(old -> old.findField(f.fieldId()))
                            .anyMatch(old -> old != null && old.type().isPrimitiveType() && !old.type().equals(f.type())));
            if (promoted) {
                ids.add(c.fieldId());
            }
        }
        return ids;
    }

    /**
     * Read by name, the struct, list and map columns whose shape in the files differs from the table's:
     * a field added inside since the files were written (which Iceberg's reader returns as NULL), or
     * dropped since (gone there). DuckDB reads each file's own shape, or their union
     * ({@link NestedShapes} reads it as the table's).
     */
    private static Set<Integer> reshaped(Statement s, Schema columns, Map<String, String> present) throws SQLException {
        List<Types.NestedField> nested = columns.columns().stream()
                .filter(c -> !c.type().isPrimitiveType() && present.containsKey(c.name())).toList();
        Set<Integer> ids = new java.util.HashSet<>();
        if (nested.isEmpty()) {
            return ids;
        }
        // the table's types as DuckDB spells them, to compare with what it reads
        String typed = nested.stream().map(c -> "CAST(NULL AS " + DuckTypes.of(c.type()) + ") AS " + DuckTypes.quote(c.name()))
                .collect(Collectors.joining(", "));
        Map<String, String> table = presentColumns(s, "(SELECT " + typed + ")");
        for (Types.NestedField c : nested) {
            if (!present.get(c.name()).equals(table.get(c.name()))) {
                ids.add(c.fieldId());
            }
        }
        return ids;
    }

    /**
     * Read by name, the top-level double columns that some file holds as FLOAT though no schema of
     * the table was float: an import merged float and double files, or add-files added float files
     * to a double column. Asked only when the table has such a column.
     */
    private static Set<Integer> floatInFiles(Statement s, String files, Schema columns, Set<Integer> known) throws SQLException {
        Map<String, Integer> doubles = new java.util.HashMap<>();
        for (Types.NestedField c : columns.columns()) {
            if (c.type().typeId() == Type.TypeID.DOUBLE && !known.contains(c.fieldId())) {
                doubles.put(c.name().toLowerCase(java.util.Locale.ROOT), c.fieldId());
            }
        }
        Set<Integer> ids = new java.util.HashSet<>();
        if (doubles.isEmpty()) {
            return ids;
        }
        // a nested leaf of the same name counts too: reading through an expression is never wrong, only slower
        try (var rs = s.executeQuery("SELECT DISTINCT name FROM parquet_schema(" + files + ") WHERE type = 'FLOAT'")) {
            while (rs.next()) {
                Integer id = doubles.get(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** {@code , signbit(q.k) AS "__lh_sign_k"} for each float or double key: the sign SQL's equality ignores. */
    private static String signColumns(Schema names, List<Types.NestedField> keys, String qualifier) {
        return keys.stream().filter(IcebergViews::floating)
                .map(k -> ", signbit(" + keyPath(names, k, qualifier) + ") AS " + signName(k))
                .collect(Collectors.joining());
    }

    private static String signName(Types.NestedField key) {
        return DuckTypes.quote("__lh_sign_" + key.fieldId());
    }

    /** An equality key's column in a delete-key table: a key can be a struct's field, whose name a top-level column may have too. */
    private static String keyAlias(Types.NestedField key) {
        return DuckTypes.quote("__lh_key_" + key.fieldId());
    }

    /** An equality key as SQL: {@code q."k"}, or for a field inside structs its path, {@code q."s"."a"}. */
    private static String keyPath(Schema names, Types.NestedField key, String qualifier) {
        List<String> path = new ArrayList<>();
        enclosing(names, key).forEach(p -> path.add(DuckTypes.quote(p.name())));
        path.add(DuckTypes.quote(key.name()));
        return qualifier + String.join(".", path);
    }

    /** The structs a key field is inside, outermost first (none for a top-level column). */
    private static List<Types.NestedField> enclosing(Schema names, Types.NestedField key) {
        Map<Integer, Integer> parents = org.apache.iceberg.types.TypeUtil.indexParents(names.asStruct());
        List<Types.NestedField> out = new ArrayList<>();
        for (Integer id = parents.get(key.fieldId()); id != null; id = parents.get(id)) {
            out.add(0, names.findField(id));
        }
        return out;
    }

    private static boolean floating(Types.NestedField field) {
        return field.type().typeId() == Type.TypeID.FLOAT || field.type().typeId() == Type.TypeID.DOUBLE;
    }

    /**
     * The table's columns in order; a column no file has yet is a typed NULL. Read by name
     * ({@code present}: the columns the files have, with DuckDB's type for them), a column promoted
     * since its files were written (int to long, float to double, a wider decimal) is cast to the
     * table's type, as Iceberg's reader returns it.
     */
    private static String projection(Schema columns, Map<String, String> present, Set<Integer> widened,
                                     Set<Integer> nestedRecast, String prefix) {
        return columns.columns().stream()
                .map(c -> {
                    String column = prefix + DuckTypes.quote(c.name());
                    if (widened.contains(c.fieldId())) {
                        // DuckDB compares a condition pushed into its Parquet read in the file's FLOAT (f > 0.1 dropped
                        // 0.10000000149011612); it cannot push one on an expression, and * 1 changes no double
                        return "CAST(" + column + " AS DOUBLE) * 1 AS " + DuckTypes.quote(c.name());
                    }
                    if (present == null) {
                        return column;
                    }
                    String read = present.get(c.name());
                    if (read == null) {
                        return initialDefault(c) + " AS " + DuckTypes.quote(c.name());
                    }
                    if (nestedRecast.contains(c.fieldId())) {
                        // a field promoted, added or dropped inside (s.a int to long, s.b added)
                        return NestedShapes.reshape(column, c.type(), read) + " AS " + DuckTypes.quote(c.name());
                    }
                    if (c.type() instanceof Types.TimestampType t && t.shouldAdjustToUTC() && read.equals("TIMESTAMP")) {
                        // INT96 files (Spark, Hive, Impala) hold UTC instants, which Iceberg reads as a timestamp
                        // with time zone and DuckDB as one without: compared with '12:00+02' it would drop the offset
                        return "timezone('UTC', " + column + ") AS " + DuckTypes.quote(c.name());
                    }
                    boolean promotable = c.type().typeId() == Type.TypeID.LONG || c.type().typeId() == Type.TypeID.DOUBLE
                            || c.type().typeId() == Type.TypeID.DECIMAL;
                    return promotable && !read.equals(DuckTypes.of(c.type()))
                            ? "CAST(" + column + " AS " + DuckTypes.of(c.type()) + ") AS " + DuckTypes.quote(c.name()) : column;
                })
                .collect(Collectors.joining(", "));
    }

    /**
     * The filter over the columns the query reads ({@code columns}), each named as {@code planning}
     * spells the same field, if it binds there; else none (DuckDB still applies the query's WHERE). SQL names are
     * case-insensitive; planning with the schema's own spelling lets Iceberg match names exactly,
     * which spares it a lower-cased name index per manifest read (~1 ms over 10 manifests).
     */
    private static Expression usable(Schema columns, Schema planning, Expression filter, Map<Integer, Integer> truncated) {
        try {
            Expression named = ExpressionVisitors.visit(filter, new SchemaNames(columns, planning, truncated));
            Binder.bind(planning.asStruct(), named, true);
            return named;
        } catch (RuntimeException notUsable) { // ValidationException, or a literal Iceberg cannot convert
            return Expressions.alwaysTrue();
        }
    }

    /**
     * Renames each predicate's column, found (case-insensitively) in the schema the query reads, to the
     * name the same field has in the planning schema; an unknown column fails validation.
     */
    private static final class SchemaNames extends ExpressionVisitors.ExpressionVisitor<Expression> {
        private final Schema schema;
        private final Schema planning;

        /** Int and long columns a partition spec truncates, with the widest width. */
        private final Map<Integer, Integer> truncated;

        SchemaNames(Schema schema, Schema planning, Map<Integer, Integer> truncated) {
            this.schema = schema;
            this.planning = planning;
            this.truncated = truncated;
        }

        @Override
        public Expression alwaysTrue() {
            return Expressions.alwaysTrue();
        }

        @Override
        public Expression alwaysFalse() {
            return Expressions.alwaysFalse();
        }

        @Override
        public Expression not(Expression result) {
            // a condition dropped inside a NOT would turn into "prune everything"; SqlAnalysis makes none
            throw new ValidationException("NOT is not pushed to the planning");
        }

        @Override
        public Expression and(Expression left, Expression right) {
            return Expressions.and(left, right);
        }

        @Override
        public Expression or(Expression left, Expression right) {
            return Expressions.or(left, right);
        }

        @Override
        public <T> Expression predicate(UnboundPredicate<T> p) {
            Types.NestedField field = schema.caseInsensitiveFindField(p.ref().name());
            ValidationException.check(field != null, "Cannot find field '%s'", p.ref().name());
            Types.NestedField target = planning.findField(field.fieldId());
            if (target == null || !target.type().equals(field.type())) {
                return Expressions.alwaysTrue(); // dropped or retyped since the snapshot the query reads
            }
            if (p.literals() == null) {
                return Expressions.predicate(p.op(), target.name());
            }
            if (field.type().typeId() == org.apache.iceberg.types.Type.TypeID.DOUBLE
                    && (p.op() == Operation.GT || p.op() == Operation.GT_EQ || p.op() == Operation.NOT_EQ)) {
                // DuckDB orders NaN above every number (NaN > 5 holds), Iceberg's column bounds leave NaN out:
                // a file whose upper bound is 1 may still have rows DuckDB returns for > 5
                return Expressions.alwaysTrue();
            }
            Integer width = truncated.get(field.fieldId());
            if (width != null && wrapsAround(p, field.type(), width)) {
                return Expressions.alwaysTrue();
            }
            // a literal Iceberg would compare differently from DuckDB drops its condition from the
            // pruning (the conditions are ANDed: a weaker filter prunes less, never wrongly)
            List<Object> values = new ArrayList<>();
            for (var literal : p.literals()) {
                Object value = PruningLiterals.forColumn(literal.value(), field.type());
                if (value == null) {
                    return Expressions.alwaysTrue();
                }
                values.add(value);
            }
            return switch (p.op()) {
                case IN, NOT_IN -> Expressions.predicate(p.op(), target.name(), values);
                default -> Expressions.predicate(p.op(), target.name(), values.get(0));
            };
        }
    }

    /**
     * Whether a range condition on a column an int or long truncate partitions could skip files with
     * matching rows. Iceberg truncates as {@code v - (((v % W) + W) % W)} in the column's own width,
     * which wraps around for values within W of the type's minimum: Integer.MIN_VALUE (a common
     * sentinel) truncated by 3 is partition 2147483647. Such a file's partition is then above every
     * {@code <} or {@code <=} projection, and a {@code >}/{@code >=} literal near the minimum projects
     * to a huge partition value. Equality and IN compare the same truncation on both sides.
     */
    private static boolean wrapsAround(UnboundPredicate<?> p, Type type, int width) {
        return switch (p.op()) {
            case LT, LT_EQ -> true; // a wrapped file's partition is far above its rows
            case GT, GT_EQ -> {
                Object v = p.literal().value();
                long min = type.typeId() == Type.TypeID.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
                yield !(v instanceof Long || v instanceof Integer) || ((Number) v).longValue() < min + width;
            }
            default -> false;
        };
    }

    private static final java.util.regex.Pattern TRUNCATE = java.util.regex.Pattern.compile("truncate\\[(\\d+)]");

    /** The int and long columns (field ids) some partition spec of the table truncates, with the widest width. */
    private static Map<Integer, Integer> truncatedIntegers(Table table) {
        Map<Integer, Integer> widths = new java.util.HashMap<>();
        for (org.apache.iceberg.PartitionSpec spec : table.specs().values()) {
            for (org.apache.iceberg.PartitionField f : spec.fields()) {
                java.util.regex.Matcher m = TRUNCATE.matcher(f.transform().toString());
                Types.NestedField source = table.schema().findField(f.sourceId());
                boolean integral = source == null || source.type().typeId() == Type.TypeID.INTEGER
                        || source.type().typeId() == Type.TypeID.LONG;
                if (m.matches() && integral) {
                    widths.merge(f.sourceId(), Integer.parseInt(m.group(1)), Math::max);
                }
            }
        }
        return widths;
    }

    private static List<PlannedFile> planWith(Table table, Snapshot snapshot, Expression filter) {
        List<PlannedFile> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = table.newScan().useSnapshot(snapshot.snapshotId())
                .filter(filter).ignoreResiduals().planFiles()) {
            planned.forEach(task -> tasks.add(new PlannedFile(task.file(), task.deletes())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NullPointerException e) {
            throw droppedDeleteKey(table, snapshot).orElseThrow(() -> e);
        }
        return tasks;
    }

    /**
     * Why Iceberg's planning failed with a NullPointerException, if it is the known case: equality
     * deletes keyed on a column dropped since (Iceberg looks the key up in today's schema; its own
     * reader, Spark's and Trino's fail on such a table too).
     */
    private static java.util.Optional<LakehouseException> droppedDeleteKey(Table table, Snapshot snapshot) {
        Map<Integer, String> dropped = new LinkedHashMap<>();
        dev.lakehouse.iceberg.TableFiles.forEach(table, snapshot, f -> {
            if (f.content() == FileContent.EQUALITY_DELETES) {
                for (int id : f.equalityFieldIds()) {
                    if (table.schema().findField(id) == null) {
                        dropped.putIfAbsent(id, table.schemas().values().stream().map(old -> old.findColumnName(id))
                                .filter(java.util.Objects::nonNull).findFirst().orElse("field id " + id));
                    }
                }
            }
        });
        if (dropped.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(LakehouseException.failed("Cannot read table " + dev.lakehouse.iceberg.TableInspector.name(table) + ": equality deletes are keyed on "
                + String.join(", ", dropped.values()) + ", dropped from its schema since, and Iceberg cannot plan such a"
                + " table (its own reader fails too); re-adding the column gives it a new id and does not help"));
    }

    /** read_parquet's schema option: columns by Iceberg field id, under their names in the read schema. */
    private static String byFieldId(List<Types.NestedField> fields) {
        return fields.stream().map(f -> f.fieldId() + ": {name: " + DuckTypes.literal(f.name()) + ", type: "
                // every entry's default has one type (a MAP's values must): the text, which DuckDB casts to the column's
                + DuckTypes.literal(DuckTypes.of(f.type())) + ", default_value: "
                + (f.initialDefault() == null ? "NULL::VARCHAR" : "CAST(" + initialDefault(f) + " AS VARCHAR)") + "}")
                .collect(Collectors.joining(", ", "MAP {", "}"));
    }

    /**
     * What a column reads in files written before it was added: NULL, or (format v3) the column's
     * initial default, as SQL of its type.
     */
    @SuppressWarnings("unchecked")
    static String initialDefault(Types.NestedField f) {
        Object value = f.initialDefault();
        String type = DuckTypes.of(f.type());
        if (value == null) {
            return "CAST(NULL AS " + type + ")";
        }
        if (value instanceof java.nio.ByteBuffer bytes) { // binary, fixed
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return "CAST(from_base64(" + DuckTypes.literal(java.util.Base64.getEncoder().encodeToString(copy)) + ") AS " + type + ")";
        }
        String text = ((org.apache.iceberg.transforms.Transform<Object, Object>) (Object) org.apache.iceberg.transforms.Transforms.identity())
                .toHumanString(f.type(), value);
        return "CAST(" + DuckTypes.literal(text) + " AS " + type + ")";
    }

    /** The top-level columns with an initial default, each with the planned files that lack it (by field id). */
    private static Map<Types.NestedField, List<String>> filesLacking(Statement s, String files, List<String> dataFiles,
                                                                     Schema columns) throws SQLException {
        List<Types.NestedField> defaulted = columns.columns().stream().filter(c -> c.initialDefault() != null).toList();
        if (defaulted.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<Integer>> ids = new LinkedHashMap<>();
        try (var rs = s.executeQuery("SELECT file_name, field_id FROM parquet_schema(" + files + ") WHERE field_id IS NOT NULL")) {
            while (rs.next()) {
                ids.computeIfAbsent(rs.getString(1), k -> new java.util.HashSet<>()).add(rs.getInt(2));
            }
        }
        Map<Types.NestedField, List<String>> lacking = new LinkedHashMap<>();
        for (Types.NestedField c : defaulted) {
            List<String> without = dataFiles.stream().filter(f -> !ids.getOrDefault(f, Set.of()).contains(c.fieldId())).toList();
            if (!without.isEmpty()) {
                lacking.put(c, without);
            }
        }
        return lacking;
    }

    private static Map<String, String> presentColumns(Statement s, String read) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (var rs = s.executeQuery("DESCRIBE SELECT * FROM " + read)) {
            while (rs.next()) {
                types.put(rs.getString(1), rs.getString(2));
            }
        }
        return types;
    }

    private void append(String table, List<Object[]> rows) throws SQLException {
        try (DuckDBAppender appender = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, unqualified(table))) {
            for (Object[] row : rows) {
                appender.beginRow();
                for (Object value : row) {
                    if (value == null) {
                        appender.appendNull();
                    } else if (value instanceof Boolean b) {
                        appender.append(b.booleanValue());
                    } else if (value instanceof Integer i) {
                        appender.append(i.intValue());
                    } else {
                        appender.append((String) value);
                    }
                }
                appender.endRow();
            }
        }
    }

    private static String unqualified(String table) {
        return table.substring(table.indexOf('.') + 1);
    }

    /** Deletion vectors (format v3, Puffin): read with Iceberg's loader, appended as positions. */
    private void appendVectors(Table table, String posTable, java.util.Collection<DeleteFile> vectors) throws SQLException {
        if (vectors.isEmpty()) {
            return;
        }
        BaseDeleteLoader loader = new BaseDeleteLoader(f -> table.io().newInputFile(f.location(), f.fileSizeInBytes()), null);
        try (DuckDBAppender appender = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, unqualified(posTable))) {
            for (DeleteFile dv : vectors) {
                String dataFile = dv.referencedDataFile();
                PositionDeleteIndex index = loader.loadPositionDeletes(List.of(dv), dataFile);
                SQLException[] failure = {null};
                index.forEach(pos -> {
                    try {
                        appender.beginRow();
                        appender.append(dataFile);
                        appender.append(pos);
                        appender.endRow();
                    } catch (SQLException e) {
                        failure[0] = e;
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
        }
    }

    /**
     * Files keep the column names they were written with; the local engine matches columns by name,
     * so a renamed column would read as NULL. Refuse that instead of answering wrongly.
     */
    private static void refuseRenames(Table table) {
        // every field, nested ones too ("s.a"), by id and by name
        Map<Integer, String> current = org.apache.iceberg.types.TypeUtil.indexNameById(table.schema().asStruct());
        Map<String, Integer> currentIds = org.apache.iceberg.types.TypeUtil.indexByName(table.schema().asStruct());
        for (Schema old : table.schemas().values()) {
            for (var f : org.apache.iceberg.types.TypeUtil.indexNameById(old.asStruct()).entrySet()) {
                String now = current.get(f.getKey());
                if (now != null && !now.equals(f.getValue())) {
                    throw LakehouseException.failed("Cannot query " + dev.lakehouse.iceberg.TableInspector.name(table) + " with the local engine: column '"
                            + f.getValue() + "' was renamed to '" + now + "' and its files still name it '" + f.getValue()
                            + "'; use --engine athena");
                }
                Integer sameName = currentIds.get(f.getValue());
                if (sameName != null && !sameName.equals(f.getKey())) {
                    throw LakehouseException.failed("Cannot query " + dev.lakehouse.iceberg.TableInspector.name(table) + " with the local engine: column '"
                            + f.getValue() + "' was dropped and added again, and files written before hold the old"
                            + " column's values under that name; use --engine athena");
                }
            }
        }
    }
}
