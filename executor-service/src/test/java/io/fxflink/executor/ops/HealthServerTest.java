package io.fxflink.executor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** /health answers 200 UP or 503 DOWN with the details; /metrics serves Prometheus text. */
class HealthServerTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthFollowsTheCheckAndMetricsAreScrapeable() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ExecutorMetrics(registry).finished("orders", "SUCCEEDED", 12);
        AtomicBoolean up = new AtomicBoolean(true);
        try (HealthServer server =
                new HealthServer(0, registry, up::get, () -> "\"executorId\":\"e-1\"")) {
            HttpResponse<String> ok = get(server, "/health");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(ok.body()).isEqualTo("{\"status\":\"UP\",\"executorId\":\"e-1\"}");

            up.set(false);
            HttpResponse<String> down = get(server, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"executorId\":\"e-1\"}");

            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains(
                            "fx_executor_executions_seconds_count{outcome=\"SUCCEEDED\",service=\"orders\"} 1");
        }
    }
}
