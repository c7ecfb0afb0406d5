package io.fxflink.manager;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A small HTTP client for the manager under test (javalin-testtools 7.x is not served here). */
final class TestApi {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    TestApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: status, raw body and the body as JSON (null when it is not JSON). */
    record Res(int status, String body, Map<String, java.util.List<String>> headers) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Res get(String token, String path) {
        return send(token, HttpRequest.newBuilder(uri(path)).GET());
    }

    Res delete(String token, String path) {
        return send(token, HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Res post(String token, String path, Object jsonBody) {
        return send(
                token,
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(toJson(jsonBody))));
    }

    Res put(String token, String path, Object jsonBody) {
        return send(
                token,
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(toJson(jsonBody))));
    }

    Res postRaw(String token, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri(path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(token, b);
    }

    /** Multipart upload of a package zip (part "package") and optional form fields. */
    Res upload(String token, byte[] zip, Map<String, String> fields) {
        String boundary = "fxb" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(
                        ("--"
                                        + boundary
                                        + "\r\nContent-Disposition: form-data; name=\""
                                        + f.getKey()
                                        + "\"\r\n\r\n"
                                        + f.getValue()
                                        + "\r\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            out.write(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"package\";"
                                    + " filename=\"service.zip\"\r\nContent-Type:"
                                    + " application/zip\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.write(zip);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return postRaw(
                token,
                "/api/v1/services",
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary),
                out.toByteArray());
    }

    /** Multipart POST of one file part and form fields. */
    Res multipart(
            String token,
            String path,
            String part,
            String filename,
            byte[] content,
            Map<String, String> fields) {
        String boundary = "fxb" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(
                        ("--"
                                        + boundary
                                        + "\r\nContent-Disposition: form-data; name=\""
                                        + f.getKey()
                                        + "\"\r\n\r\n"
                                        + f.getValue()
                                        + "\r\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            out.write(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\""
                                    + part
                                    + "\"; filename=\""
                                    + filename
                                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return postRaw(
                token,
                path,
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary),
                out.toByteArray());
    }

    private Res send(String token, HttpRequest.Builder b) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Res(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    static String toJson(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
