package dev.lakehouse.iceberg;

import dev.lakehouse.cli.LakehouseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/** Partition specs written the way Iceberg's SQL writes them: {@code region}, {@code day(created_at)}, {@code bucket(16, id)}. */
public final class PartitionSpecs {
    private static final Pattern TRANSFORM = Pattern.compile("\\s*(\\w+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([\\w.]+)\\s*\\)\\s*");

    private PartitionSpecs() {
    }

    /** Builds a spec from fields like {@code region}, {@code day(ts)}, {@code bucket(16,id)}, {@code truncate(4,name)}. */
    public static PartitionSpec parse(Schema schema, List<String> fields, String option) {
        PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
        for (String field : fields) {
            String f = field.trim();
            if (f.isEmpty()) {
                continue;
            }
            try {
                Matcher m = TRANSFORM.matcher(f);
                if (!m.matches()) {
                    b.identity(column(schema, f, option));
                    continue;
                }
                String transform = m.group(1).toLowerCase(java.util.Locale.ROOT);
                String column = column(schema, m.group(3), option);
                Integer n = m.group(2) == null ? null : Integer.valueOf(m.group(2));
                switch (transform) {
                    case "identity" -> b.identity(column);
                    case "year", "years" -> b.year(column);
                    case "month", "months" -> b.month(column);
                    case "day", "days" -> b.day(column);
                    case "hour", "hours" -> b.hour(column);
                    case "bucket" -> b.bucket(column, requireWidth(n, f, option));
                    case "truncate" -> b.truncate(column, requireWidth(n, f, option));
                    default -> throw LakehouseException.usage(option + ": unknown transform '" + transform
                            + "' in '" + f + "' (allowed: identity, year, month, day, hour, bucket(N, col), truncate(N, col))");
                }
            } catch (IllegalArgumentException | org.apache.iceberg.exceptions.ValidationException e) {
                throw LakehouseException.usage(option + ": cannot partition by '" + f + "': " + e.getMessage());
            }
        }
        return b.build();
    }

    private static int requireWidth(Integer n, String field, String option) {
        if (n == null || n <= 0) {
            throw LakehouseException.usage(option + ": '" + field + "' needs a positive width, e.g. bucket(16, id)");
        }
        return n;
    }

    private static String column(Schema schema, String name, String option) {
        if (schema.findField(name) == null) {
            throw LakehouseException.usage(option + ": no column '" + name + "' (columns: "
                    + String.join(", ", schema.columns().stream().map(c -> c.name()).toList()) + ")");
        }
        return name;
    }
}
