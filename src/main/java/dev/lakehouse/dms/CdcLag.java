package dev.lakehouse.dms;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * CDC latency of a task from CloudWatch: CDCLatencySource (source commit to DMS reading it) and
 * CDCLatencyTarget (source commit to the change applied on the target), namespace AWS/DMS, in
 * seconds, the maximum of each minute.
 *
 * <p>Classic tasks publish them with two dimensions: ReplicationInstanceIdentifier (the instance's
 * name, which is not in its ARN) and ReplicationTaskIdentifier (the task's resource id, the last
 * part of its ARN, not its name). For Serverless replications the dimension is found with
 * ListMetrics: the AWS/DMS CDCLatencySource metric whose dimensions carry the replication config's
 * identifier or resource id.
 */
public final class CdcLag {
    public static final String NAMESPACE = "AWS/DMS";
    public static final String SOURCE = "CDCLatencySource";
    public static final String TARGET = "CDCLatencyTarget";
    private static final int PERIOD_SECONDS = 60;

    /**
     * Latencies over a window, in seconds; null when CloudWatch has no data point.
     *
     * @param latestAt   time of the newest data point
     * @param dimensions the CloudWatch dimensions read, or empty when none was found (Serverless)
     */
    public record Latency(BigDecimal source, BigDecimal target, BigDecimal maxSource, BigDecimal maxTarget,
                          Instant latestAt, Map<String, String> dimensions) {
        public boolean hasData() {
            return latestAt != null;
        }

        /** The larger of the newest source and target latency. */
        public BigDecimal latest() {
            if (source == null) {
                return target;
            }
            return target == null || source.compareTo(target) >= 0 ? source : target;
        }
    }

    private final Replications replications;
    private final CloudWatchClient cloudWatch;

    public CdcLag(Replications replications, CloudWatchClient cloudWatch) {
        this.replications = replications;
        this.cloudWatch = cloudWatch;
    }

    /** The dimensions DMS publishes the task's latency metrics under, or an empty map if none is known. */
    public Map<String, String> dimensions(ReplicationState s) {
        Map<String, String> dims = new LinkedHashMap<>();
        if (s.target().kind() == DmsTarget.Kind.task) {
            dims.put("ReplicationInstanceIdentifier", replications.instanceIdentifier(s.instanceArn()));
            dims.put("ReplicationTaskIdentifier", s.target().resourceId());
            return dims;
        }
        for (var page : cloudWatch.listMetricsPaginator(r -> r.namespace(NAMESPACE).metricName(SOURCE))) {
            for (Metric m : page.metrics()) {
                boolean ours = m.dimensions().stream().anyMatch(d -> d.value().equals(s.identifier())
                        || d.value().equals(s.target().resourceId()) || d.value().equals(s.target().arn()));
                if (ours) {
                    m.dimensions().forEach(d -> dims.put(d.name(), d.value()));
                    return dims;
                }
            }
        }
        return dims;
    }

    public Latency measure(ReplicationState s, Duration window, Instant now) {
        Map<String, String> dims = dimensions(s);
        if (dims.isEmpty()) {
            return new Latency(null, null, null, null, null, dims);
        }
        List<Dimension> dimensions = new ArrayList<>();
        dims.forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
        Map<String, List<Instant>> times = new HashMap<>();
        Map<String, List<Double>> values = new HashMap<>();
        List<MetricDataQuery> queries = List.of(query("source", SOURCE, dimensions), query("target", TARGET, dimensions));
        Instant start = now.minus(window);
        for (var page : cloudWatch.getMetricDataPaginator(r -> r.metricDataQueries(queries).startTime(start).endTime(now))) {
            for (MetricDataResult result : page.metricDataResults()) {
                times.computeIfAbsent(result.id(), k -> new ArrayList<>()).addAll(result.timestamps());
                values.computeIfAbsent(result.id(), k -> new ArrayList<>()).addAll(result.values());
            }
        }
        Point src = points(times.get("source"), values.get("source"));
        Point tgt = points(times.get("target"), values.get("target"));
        Instant latestAt = src.at == null ? tgt.at : tgt.at == null || src.at.isAfter(tgt.at) ? src.at : tgt.at;
        return new Latency(src.latest, tgt.latest, src.max, tgt.max, latestAt, dims);
    }

    private record Point(BigDecimal latest, BigDecimal max, Instant at) {
    }

    private static Point points(List<Instant> times, List<Double> values) {
        if (times == null || values == null || times.isEmpty()) {
            return new Point(null, null, null);
        }
        int newest = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < times.size() && i < values.size(); i++) {
            if (times.get(i).isAfter(times.get(newest))) {
                newest = i;
            }
            max = Math.max(max, values.get(i));
        }
        return new Point(seconds(values.get(newest)), seconds(max), times.get(newest));
    }

    static BigDecimal seconds(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static MetricDataQuery query(String id, String metric, List<Dimension> dimensions) {
        return MetricDataQuery.builder().id(id).returnData(true)
                .metricStat(s -> s.metric(m -> m.namespace(NAMESPACE).metricName(metric).dimensions(dimensions))
                        .period(PERIOD_SECONDS).stat("Maximum"))
                .build();
    }
}
