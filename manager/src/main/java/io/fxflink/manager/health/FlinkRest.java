package io.fxflink.manager.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The read-only calls of Flink's REST API that the health check makes. */
@FunctionalInterface
public interface FlinkRest {
    /** {@code GET path} answered 200 with JSON; anything else throws, naming the path. */
    JsonNode get(String path) throws IOException;

    /** Over HTTP, every call bounded by {@code timeout}. */
    static FlinkRest http(String baseUrl, Duration timeout) {
        String base = baseUrl.replaceAll("/+$", "");
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        ObjectMapper json = new ObjectMapper();
        return path -> {
            HttpResponse<String> r;
            try {
                r =
                        client.send(
                                HttpRequest.newBuilder(URI.create(base + path))
                                        .timeout(timeout)
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (IOException e) {
                throw new IOException(
                        "Flink at "
                                + base
                                + " does not answer ("
                                + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                                + ")",
                        e);
            }
            if (r.statusCode() != 200) {
                String body = r.body() == null ? "" : r.body();
                throw new IOException(
                        "Flink "
                                + path
                                + " answered "
                                + r.statusCode()
                                + ": "
                                + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
            }
            return json.readTree(r.body());
        };
    }
}
