package io.fxflink.manager.health;

import io.fxflink.manager.health.ComponentHealth.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every component's check in parallel with a deadline (one slow dependency cannot hang it) and
 * grades the whole: the overall status is the worst of the components'. An optional component (by
 * default Flink and the executor, see {@link HealthSettings#optional()}) that is DOWN makes the
 * manager DEGRADED, not DOWN: the manager still serves its API (200); a required one that is DOWN
 * makes it DOWN (503). A component that is not configured is DISABLED (DEGRADED overall).
 */
public final class HealthService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    private final Map<String, ComponentCheck> checks;
    private final Set<String> optional;
    private final Map<String, String> disabled;
    private final long timeoutMs;
    private final Map<String, Status> lastStatus = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService pool =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "fx-health-check");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * @param checks the components' checks, in the order they are reported
     * @param optional names of components whose DOWN only degrades the manager
     * @param disabled components that are not configured, with the reason
     */
    public HealthService(
            Map<String, ComponentCheck> checks,
            Set<String> optional,
            Map<String, String> disabled,
            long timeoutMs) {
        this.checks = new LinkedHashMap<>(checks);
        this.optional = Set.copyOf(optional);
        this.disabled = new LinkedHashMap<>(disabled);
        this.timeoutMs = timeoutMs;
    }

    /**
     * The manager's health: its own dependencies ({@code probes}, required unless named optional),
     * Flink (TaskManagers, the platform jobs, their checkpoints; DISABLED without a REST URL) and
     * the executor's consumer lag on the executions topic.
     */
    public static HealthService forPlatform(
            Map<String, HealthCheck> probes,
            String flinkRestUrl,
            String kafkaBootstrap,
            HealthSettings settings,
            long timeoutMs) {
        Map<String, ComponentCheck> checks = new LinkedHashMap<>();
        probes.forEach((name, probe) -> checks.put(name, ComponentCheck.of(probe)));
        Map<String, String> disabled = new LinkedHashMap<>();
        if (flinkRestUrl == null || flinkRestUrl.isBlank()) {
            disabled.put("flink", "FX_FLINK_REST_URL is not set");
        } else {
            checks.put(
                    "flink",
                    new FlinkHealth(
                            FlinkRest.http(flinkRestUrl, Duration.ofMillis(timeoutMs * 2 / 3)),
                            settings.flinkJobs(),
                            settings.maxCheckpointAge(),
                            Clock.systemUTC()));
        }
        checks.put(
                "executor",
                new ExecutorLagHealth(
                        kafkaBootstrap,
                        settings.executorGroup(),
                        settings.executionsTopic(),
                        settings.maxExecutorLag()));
        return new HealthService(checks, settings.optional(), disabled, timeoutMs);
    }

    /** The overall status and every component's. */
    public record Health(Status status, Map<String, ComponentHealth> components) {
        /** Ready to serve (UP or DEGRADED). */
        public boolean up() {
            return status != Status.DOWN;
        }
    }

    public Health readiness() {
        Map<String, CompletableFuture<ComponentHealth>> futures = new LinkedHashMap<>();
        checks.forEach(
                (name, check) ->
                        futures.put(
                                name,
                                CompletableFuture.supplyAsync(
                                        () -> {
                                            long t0 = System.nanoTime();
                                            try {
                                                return check.check().withMillis(ms(t0));
                                            } catch (Exception e) {
                                                return ComponentHealth.down(message(e))
                                                        .withMillis(ms(t0));
                                            }
                                        },
                                        pool)));
        Map<String, ComponentHealth> out = new LinkedHashMap<>();
        Status overall = disabled.isEmpty() ? Status.UP : Status.DEGRADED;
        for (Map.Entry<String, CompletableFuture<ComponentHealth>> e : futures.entrySet()) {
            ComponentHealth c;
            try {
                c = e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                c =
                        ComponentHealth.down("no answer within " + timeoutMs + " ms")
                                .withMillis(timeoutMs);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                c = ComponentHealth.down("interrupted");
            } catch (ExecutionException ex) {
                c = ComponentHealth.down(message(ex.getCause()));
            }
            Status counts =
                    c.status() == Status.DOWN && optional.contains(e.getKey())
                            ? Status.DEGRADED
                            : c.status() == Status.DISABLED ? Status.DEGRADED : c.status();
            overall = overall.worse(counts);
            out.put(e.getKey(), c);
            logChange(e.getKey(), c);
        }
        disabled.forEach(
                (name, why) -> out.put(name, ComponentHealth.of(Status.DISABLED, why, Map.of())));
        return new Health(overall, out);
    }

    /** A component that changes status is logged once, with its reason (not every probe). */
    private void logChange(String name, ComponentHealth c) {
        Status before = lastStatus.put(name, c.status());
        if (before == null ? c.status() != Status.UP : before != c.status()) {
            if (c.status() == Status.UP) {
                LOG.info("health: {} is UP again ({})", name, c.reason());
            } else {
                LOG.warn("health: {} is {}: {}", name, c.status(), c.reason());
            }
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t instanceof ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        checks.values().forEach(ComponentCheck::close);
    }
}
