package io.fxflink.executor.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /health} (200 UP / 503 DOWN, JSON) and {@code GET /metrics} (Prometheus text). */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    public HealthServer(
            int port,
            PrometheusMeterRegistry registry,
            Supplier<Boolean> up,
            Supplier<String> details)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 16);
        server.createContext(
                "/health",
                ex -> {
                    boolean ok = up.get();
                    respond(
                            ex,
                            ok ? 200 : 503,
                            "application/json",
                            "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\"," + details.get() + "}");
                });
        server.createContext(
                "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int code, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
