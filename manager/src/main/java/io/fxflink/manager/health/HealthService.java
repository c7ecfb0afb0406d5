package io.fxflink.manager.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every readiness check in parallel with a deadline; one slow dependency cannot hang it.
 * Optional components (Flink) that are down or not configured make the manager DEGRADED (still
 * ready, HTTP 200): only a required one makes it DOWN (503).
 */
public final class HealthService implements AutoCloseable {
    private final Map<String, HealthCheck> checks;
    private final java.util.Set<String> optional;
    private final Map<String, String> disabled;
    private final long timeoutMs;
    private final ExecutorService pool =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "fx-health-check");
                        t.setDaemon(true);
                        return t;
                    });

    public HealthService(Map<String, HealthCheck> checks, long timeoutMs) {
        this(checks, java.util.Set.of(), Map.of(), timeoutMs);
    }

    /**
     * @param optional names of components whose failure only degrades the manager
     * @param disabled optional components that are not configured, with the reason
     */
    public HealthService(
            Map<String, HealthCheck> checks,
            java.util.Set<String> optional,
            Map<String, String> disabled,
            long timeoutMs) {
        this.checks = new LinkedHashMap<>(checks);
        this.optional = java.util.Set.copyOf(optional);
        this.disabled = new LinkedHashMap<>(disabled);
        this.timeoutMs = timeoutMs;
    }

    /** Status of one component. */
    public record Component(String status, String error, long millis) {}

    /**
     * Overall readiness: UP when every component is UP, DEGRADED when only optional ones are down
     * or disabled, DOWN when a required one is down.
     */
    public record Health(String status, Map<String, Component> components) {
        /** Ready to serve (UP or DEGRADED). */
        public boolean up() {
            return !"DOWN".equals(status);
        }
    }

    public Health readiness() {
        Map<String, CompletableFuture<Component>> futures = new LinkedHashMap<>();
        checks.forEach(
                (name, check) ->
                        futures.put(
                                name,
                                CompletableFuture.supplyAsync(
                                        () -> {
                                            long t0 = System.nanoTime();
                                            try {
                                                check.check();
                                                return new Component("UP", null, ms(t0));
                                            } catch (Exception e) {
                                                return new Component(
                                                        "DOWN",
                                                        String.valueOf(e.getMessage()),
                                                        ms(t0));
                                            }
                                        },
                                        pool)));
        Map<String, Component> out = new LinkedHashMap<>();
        boolean up = true;
        boolean degraded = !disabled.isEmpty();
        for (Map.Entry<String, CompletableFuture<Component>> e : futures.entrySet()) {
            Component c;
            try {
                c = e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                c = new Component("DOWN", "no answer within " + timeoutMs + " ms", timeoutMs);
            } catch (Exception ex) {
                c = new Component("DOWN", String.valueOf(ex.getMessage()), 0);
            }
            if (!"UP".equals(c.status())) {
                if (optional.contains(e.getKey())) {
                    degraded = true;
                } else {
                    up = false;
                }
            }
            out.put(e.getKey(), c);
        }
        disabled.forEach((name, why) -> out.put(name, new Component("DISABLED", why, 0)));
        return new Health(up ? (degraded ? "DEGRADED" : "UP") : "DOWN", out);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
