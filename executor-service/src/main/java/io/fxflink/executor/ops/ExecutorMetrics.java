package io.fxflink.executor.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The executor's Micrometer meters (scraped as Prometheus text on /metrics). */
public final class ExecutorMetrics {
    private final MeterRegistry registry;
    private final Counter duplicates;
    private final Counter republished;
    private final java.util.concurrent.atomic.AtomicLong finished =
            new java.util.concurrent.atomic.AtomicLong();

    public ExecutorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duplicates =
                Counter.builder("fx.executor.duplicates")
                        .description("requests of executions that had already completed")
                        .register(registry);
        this.republished =
                Counter.builder("fx.executor.outcomes.republished")
                        .description(
                                "recorded outcomes published again, not re-run: the executor"
                                        + " that recorded them stopped before publishing them")
                        .register(registry);
    }

    public void finished(String service, String outcome, long durationMs) {
        finished.incrementAndGet();
        Timer.builder("fx.executor.executions")
                .description("execution attempts by service and outcome")
                .tag("service", service)
                .tag("outcome", outcome)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry)
                .record(Duration.ofMillis(durationMs));
    }

    /** Execution attempts finished since start (for the executions/s metric record). */
    public long finishedTotal() {
        return finished.get();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void republished() {
        republished.increment();
    }

    public double republishedTotal() {
        return republished.count();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
