package io.fxflink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The manager's REST API as the CLI uses it: JSON in, JSON out, errors turned into exit codes. */
final class ManagerClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final CliTarget target;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ManagerClient(CliTarget target) {
        this.target = target;
    }

    CliTarget target() {
        return target;
    }

    JsonNode get(String path, Map<String, String> query) {
        return send(request(path + queryString(query)).GET(), path);
    }

    JsonNode get(String path) {
        return get(path, Map.of());
    }

    JsonNode post(String path, Object body) {
        try {
            return send(
                    request(path)
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            JSON.writeValueAsString(body))),
                    path);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot encode the request: " + e.getMessage());
        }
    }

    JsonNode post(String path, String contentType, HttpRequest.BodyPublisher body) {
        return send(request(path).header("Content-Type", contentType).POST(body), path);
    }

    JsonNode patch(String path, Object body) {
        try {
            return send(
                    request(path)
                            .header("Content-Type", "application/json")
                            .method(
                                    "PATCH",
                                    HttpRequest.BodyPublishers.ofString(
                                            JSON.writeValueAsString(body))),
                    path);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot encode the request: " + e.getMessage());
        }
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE(), path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(target.url() + path))
                        .timeout(Duration.ofMinutes(5));
        if (!target.token().isBlank()) {
            b.header("Authorization", "Bearer " + target.token());
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder req, String path) {
        HttpResponse<String> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.UNREACHABLE,
                    "the manager at "
                            + target.url()
                            + " cannot be reached ("
                            + e.getClass().getSimpleName()
                            + "). Is the platform up? ('./fx up', or set FX_URL)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted");
        }
        JsonNode body = parse(r.body());
        if (r.statusCode() >= 300) {
            String message = body.path("message").asText(body.path("error").asText(r.body()));
            throw new CliException(
                    ExitCodes.forStatus(r.statusCode()),
                    path + ": " + r.statusCode() + " " + message);
        }
        return body;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    static String queryString(Map<String, String> query) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        new LinkedHashMap<>(query)
                .forEach(
                        (k, v) -> {
                            if (v != null && !v.isBlank()) {
                                j.add(
                                        URLEncoder.encode(k, StandardCharsets.UTF_8)
                                                + "="
                                                + URLEncoder.encode(v, StandardCharsets.UTF_8));
                            }
                        });
        return j.toString();
    }
}
