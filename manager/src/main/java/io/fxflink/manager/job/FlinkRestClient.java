package io.fxflink.manager.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The calls of Flink's REST API the manager makes (jobs overview, checkpoint stats, jar upload and
 * run, stop-with-savepoint and its trigger status). Flink's refusals become {@link FlinkException}
 * with Flink's own message; an unreachable cluster becomes 503.
 */
public final class FlinkRestClient {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Running a jar's main() builds the job graph on the JobManager: allow it time. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public FlinkRestClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Flink answered with an error status. */
    static final class FlinkException extends RuntimeException {
        private final int status;

        FlinkException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** {@code GET /overview}: the cluster answers (health). */
    public JsonNode overview() {
        return get("/overview", Duration.ofSeconds(3));
    }

    /** {@code GET /jobs/overview}: every job the cluster knows. */
    List<JsonNode> jobs() {
        List<JsonNode> out = new ArrayList<>();
        get("/jobs/overview", CALL_TIMEOUT).path("jobs").forEach(out::add);
        return out;
    }

    /** {@code GET /jobs/:id/checkpoints}: checkpoint statistics of one job. */
    JsonNode checkpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints", CALL_TIMEOUT);
    }

    /**
     * {@code POST /jars/upload} (multipart part {@code jarfile}).
     *
     * @return the jar id to run
     */
    String uploadJar(String fileName, long size, Supplier<InputStream> content) {
        String boundary = "fx-" + UUID.randomUUID();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\";"
                                + " filename=\""
                                + fileName
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher body =
                HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(content), size),
                        HttpRequest.BodyPublishers.ofByteArray(tail));
        JsonNode uploaded =
                send(
                        HttpRequest.newBuilder(uri("/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(body),
                        RUN_TIMEOUT);
        String path = uploaded.path("filename").asText("");
        if (path.isEmpty()) {
            throw new FlinkException(502, "Flink's jar upload answered without a file name");
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * {@code POST /jars/:id/run}.
     *
     * @return the new job's id
     */
    String runJar(String jarId, RunOptions options) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (options.entryClass() != null) {
            body.put("entryClass", options.entryClass());
        }
        body.put("programArgsList", options.programArgs());
        if (options.parallelism() != null) {
            body.put("parallelism", options.parallelism());
        }
        if (options.savepointPath() != null) {
            body.put("savepointPath", options.savepointPath());
            body.put("allowNonRestoredState", options.allowNonRestoredState());
        }
        JsonNode run = post("/jars/" + jarId + "/run", body, RUN_TIMEOUT);
        String jobId = run.path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new FlinkException(502, "Flink ran the jar but answered without a job id");
        }
        return jobId;
    }

    /** {@code DELETE /jars/:id}: the uploaded copy is not needed once the job runs. */
    void deleteJar(String jarId) {
        send(HttpRequest.newBuilder(uri("/jars/" + jarId)).DELETE(), CALL_TIMEOUT);
    }

    /**
     * {@code POST /jobs/:id/stop}: stop-with-savepoint.
     *
     * @return the trigger id to poll
     */
    String stopWithSavepoint(String jobId, boolean drain, String targetDirectory) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("drain", drain);
        if (targetDirectory != null) {
            body.put("targetDirectory", targetDirectory);
        }
        String trigger =
                post("/jobs/" + jobId + "/stop", body, CALL_TIMEOUT).path("request-id").asText("");
        if (trigger.isEmpty()) {
            throw new FlinkException(
                    502, "Flink accepted the stop but answered without a trigger id");
        }
        return trigger;
    }

    /** {@code GET /jobs/:id/savepoints/:triggerId}: status of an asynchronous savepoint. */
    JsonNode savepointStatus(String jobId, String triggerId) {
        return get("/jobs/" + jobId + "/savepoints/" + triggerId, CALL_TIMEOUT);
    }

    /**
     * {@code GET path} within {@code timeout}; throws {@link ApiException} when Flink does not
     * answer and {@code FlinkException} for an error status (health reads through this too).
     */
    public JsonNode get(String path, Duration timeout) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), timeout);
    }

    private JsonNode post(String path, Object body, Duration timeout) {
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a Flink request", e);
        }
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json)),
                timeout);
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) {
        HttpResponse<byte[]> r;
        try {
            r =
                    http.send(
                            request.timeout(timeout).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw ApiException.unavailable("the Flink REST API at " + baseUrl + " does not answer");
        } catch (HttpTimeoutException e) {
            throw new ApiException(
                    504,
                    "gateway_timeout",
                    "the Flink REST API at " + baseUrl + " did not answer within " + timeout);
        } catch (IOException e) {
            throw ApiException.unavailable(
                    "the Flink REST API at " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while calling Flink");
        }
        JsonNode body = parse(r.body());
        if (r.statusCode() >= 300) {
            throw new FlinkException(r.statusCode(), errors(body, r.body()));
        }
        return body;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    /**
     * Flink's {@code {"errors": [...]}}, each reduced to its first line and its "Caused by" lines:
     * they are stack traces, and the root cause is what a caller can act on.
     */
    private static String errors(JsonNode body, byte[] raw) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : body.path("errors")) {
            out.add(causes(e.asText()));
        }
        String text =
                out.isEmpty()
                        ? causes(new String(raw, StandardCharsets.UTF_8))
                        : String.join(" | ", out);
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }

    /** The first line of a stack trace and its distinct "Caused by" lines. */
    static String causes(String trace) {
        List<String> parts = new ArrayList<>();
        for (String line : trace.strip().split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("at ") || l.startsWith("...")) {
                continue;
            }
            if (parts.isEmpty() || l.startsWith("Caused by:")) {
                String msg = l.startsWith("Caused by:") ? l.substring(10).strip() : l;
                if (!parts.contains(msg)) {
                    parts.add(msg);
                }
            }
        }
        return String.join(" / caused by: ", parts);
    }

    static String firstLines(String s, int n) {
        String[] lines = s.strip().split("\\R", n + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, lines.length); i++) {
            if (i > 0) {
                b.append(" / ");
            }
            b.append(lines[i].strip());
        }
        return b.toString();
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }
}
