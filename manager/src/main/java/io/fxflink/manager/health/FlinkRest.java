package io.fxflink.manager.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.job.FlinkRestClient;
import java.io.IOException;
import java.time.Duration;

/** The read-only calls of Flink's REST API that the health check makes. */
@FunctionalInterface
public interface FlinkRest {
    /** {@code GET path} answered 200 with JSON; anything else throws, naming the path. */
    JsonNode get(String path) throws IOException;

    /** Through the manager's Flink REST client, every call bounded by {@code timeout}. */
    static FlinkRest http(String baseUrl, Duration timeout) {
        FlinkRestClient client = new FlinkRestClient(baseUrl);
        return path -> {
            try {
                return client.get(path, timeout);
            } catch (RuntimeException e) {
                throw new IOException("Flink " + path + ": " + e.getMessage(), e);
            }
        };
    }
}
