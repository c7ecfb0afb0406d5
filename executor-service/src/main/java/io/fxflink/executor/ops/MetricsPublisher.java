package io.fxflink.executor.ops;

import io.fxflink.contracts.ops.MetricRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the executor every interval and writes {@link MetricRecord}s to {@code fx.ops.metrics}
 * (in addition to Prometheus on /metrics): executions per second since the last sample, busy and
 * total slots per runtime, queued and held requests. Every record is tagged with the executor id.
 * Metrics are best effort: a failed send is logged, not retried.
 */
public final class MetricsPublisher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);

    /** What is sampled; suppliers so the publisher does not depend on the pools' classes. */
    public record Sources(
            Supplier<Long> finishedTotal,
            Map<String, Supplier<Integer>> busyByRuntime,
            Map<String, Integer> capacityByRuntime,
            Supplier<Integer> queued,
            Supplier<Integer> inFlight) {}

    private final String executorId;
    private final Sources sources;
    private final OpsPublisher ops;
    private final Clock clock;
    private long lastFinished;
    private Instant lastTime;

    public MetricsPublisher(String executorId, Sources sources, OpsPublisher ops, Clock clock) {
        this.executorId = executorId;
        this.sources = sources;
        this.ops = ops;
        this.clock = clock;
        this.lastFinished = sources.finishedTotal().get();
        this.lastTime = clock.instant();
    }

    @Override
    public synchronized void run() {
        try {
            for (MetricRecord r : sample()) {
                ops.metric(r)
                        .whenComplete(
                                (ok, e) -> {
                                    if (e != null) {
                                        LOG.warn(
                                                "executor {}: metric {} not sent: {}",
                                                executorId,
                                                r.name(),
                                                e.toString());
                                    }
                                });
            }
        } catch (RuntimeException e) {
            LOG.warn("executor {}: sampling metrics failed", executorId, e);
        }
    }

    /** One sample of every metric; the rate covers the time since the previous sample. */
    synchronized List<MetricRecord> sample() {
        Instant now = clock.instant();
        long finished = sources.finishedTotal().get();
        double seconds = Math.max(0.001, (now.toEpochMilli() - lastTime.toEpochMilli()) / 1000.0);
        double rate = (finished - lastFinished) / seconds;
        lastFinished = finished;
        lastTime = now;
        Map<String, String> tags = Map.of("executor", executorId);
        List<MetricRecord> out = new ArrayList<>();
        out.add(new MetricRecord("fx.executor.executions.per_second", tags, rate, now));
        sources.busyByRuntime()
                .forEach(
                        (runtime, busy) -> {
                            Map<String, String> t =
                                    Map.of("executor", executorId, "runtime", runtime);
                            out.add(new MetricRecord("fx.executor.pool.busy", t, busy.get(), now));
                            out.add(
                                    new MetricRecord(
                                            "fx.executor.pool.capacity",
                                            t,
                                            sources.capacityByRuntime().getOrDefault(runtime, 0),
                                            now));
                        });
        out.add(new MetricRecord("fx.executor.queue.depth", tags, sources.queued().get(), now));
        out.add(new MetricRecord("fx.executor.in_flight", tags, sources.inFlight().get(), now));
        return out;
    }
}
