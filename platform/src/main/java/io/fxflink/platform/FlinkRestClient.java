package io.fxflink.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The few calls of Flink's REST API the launcher needs: upload a jar, run it, list jobs. */
final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;

    FlinkRestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    boolean answers() {
        try {
            return get("/overview").has("taskmanagers");
        } catch (IOException e) {
            return false;
        }
    }

    /** Ids of the TaskManagers registered with the cluster. */
    List<String> taskManagerIds() throws IOException {
        java.util.ArrayList<String> ids = new java.util.ArrayList<>();
        for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
            ids.add(tm.path("id").asText());
        }
        return ids;
    }

    /** Names of jobs that are running (or about to). */
    List<String> activeJobNames() throws IOException {
        JsonNode jobs = get("/jobs/overview").path("jobs");
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        for (JsonNode j : jobs) {
            String state = j.path("state").asText();
            if (List.of("RUNNING", "CREATED", "INITIALIZING", "RESTARTING").contains(state)) {
                names.add(j.path("name").asText());
            }
        }
        return names;
    }

    /** Every job the cluster knows ({@code /jobs/overview}: jid, name, state, tasks, ...). */
    List<JsonNode> jobs() throws IOException {
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        get("/jobs/overview").path("jobs").forEach(out::add);
        return out;
    }

    /** Free slots over every registered TaskManager. */
    int freeSlots() throws IOException {
        int free = 0;
        for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
            free += tm.path("freeSlots").asInt();
        }
        return free;
    }

    /**
     * The job's latest failure from its exception history, as "Exception: message" (first line), or
     * empty when it has none.
     */
    java.util.Optional<String> latestException(String jobId) {
        try {
            JsonNode e =
                    get("/jobs/" + jobId + "/exceptions?maxExceptions=1")
                            .path("exceptionHistory")
                            .path("entries")
                            .path(0);
            String trace = e.path("stacktrace").asText("");
            String first = trace.lines().findFirst().orElse(e.path("exceptionName").asText(""));
            return first.isBlank()
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(
                            first.length() > 300 ? first.substring(0, 300) + "…" : first);
        } catch (IOException ex) {
            return java.util.Optional.empty();
        }
    }

    /** Uploads the jar and runs it with its manifest's main class; returns the job id. */
    String submit(Path jar, List<String> programArgs) throws IOException {
        String boundary = "fx-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode uploaded =
                send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String filename = uploaded.path("filename").asText();
        String jarId = Path.of(filename).getFileName().toString();
        String runBody = JSON.writeValueAsString(java.util.Map.of("programArgsList", programArgs));
        JsonNode run =
                send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/jars/" + jarId + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(runBody)));
        return run.path("jobid").asText();
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private JsonNode send(HttpRequest.Builder req) throws IOException {
        try {
            HttpResponse<String> r =
                    http.send(
                            req.timeout(Duration.ofMinutes(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IOException(
                        "Flink REST "
                                + r.request().uri().getPath()
                                + " answered "
                                + r.statusCode()
                                + ": "
                                + r.body());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
