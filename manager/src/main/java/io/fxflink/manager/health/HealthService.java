package io.fxflink.manager.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs every readiness check in parallel with a deadline; one slow dependency cannot hang it. */
public final class HealthService implements AutoCloseable {
    private final Map<String, HealthCheck> checks;
    private final long timeoutMs;
    private final ExecutorService pool =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "fx-health-check");
                        t.setDaemon(true);
                        return t;
                    });

    public HealthService(Map<String, HealthCheck> checks, long timeoutMs) {
        this.checks = new LinkedHashMap<>(checks);
        this.timeoutMs = timeoutMs;
    }

    /** Status of one component. */
    public record Component(String status, String error, long millis) {}

    /** Overall readiness: UP only when every component is UP. */
    public record Health(String status, Map<String, Component> components) {
        public boolean up() {
            return "UP".equals(status);
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
        for (Map.Entry<String, CompletableFuture<Component>> e : futures.entrySet()) {
            Component c;
            try {
                c = e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                c = new Component("DOWN", "no answer within " + timeoutMs + " ms", timeoutMs);
            } catch (Exception ex) {
                c = new Component("DOWN", String.valueOf(ex.getMessage()), 0);
            }
            up &= "UP".equals(c.status());
            out.put(e.getKey(), c);
        }
        return new Health(up ? "UP" : "DOWN", out);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
