package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.job.TinyJob;
import io.fxflink.platform.LocalFlinkCluster;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs routes against a real Flink session cluster (the platform's LocalFlinkCluster: REST API
 * with jar upload and run, configured from flink-conf/): upload and run a jar, list it with its
 * last checkpoint, stop it with a savepoint, deploy a platform job once and restore it from that
 * savepoint, and clear errors for broken input.
 */
class JobsITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    @TempDir static Path home;

    static LocalFlinkCluster flink;
    static ManagerFixture fx;
    static ManagerApp app;
    static TestApi api;
    static String admin;
    static String projectAdmin;

    @BeforeAll
    static void start() throws Exception {
        flink = TestFlink.start(home, 4);
        Path jars = Files.createDirectories(home.resolve("jars"));
        // stands in for the router's shaded jar: same file name pattern, a real job inside
        Files.write(jars.resolve("fx-router-job-0.1.0-SNAPSHOT-job.jar"), JobJars.tinyJob(true));
        fx = new ManagerFixture(SERVERS);
        app =
                fx.start(
                        Map.of(
                                "FX_FLINK_REST_URL", flink.restUrl(),
                                "FX_JOB_JARS_DIR", jars.toString(),
                                "FX_FLINK_STOP_TIMEOUT_MS", "60000"));
        api = new TestApi(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
        projectAdmin =
                AccessITCaseTokens.create(api, admin, "default-admin", Map.of("default", "admin"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void anUploadedJarRunsIsListedWithItsCheckpointAndStopsWithASavepoint() throws Exception {
        TestApi.Res submitted =
                api.multipart(
                        admin,
                        "/api/v1/jobs",
                        "jar",
                        "tiny.jar",
                        JobJars.tinyJob(true),
                        Map.of("programArgs", "[\"fx-tiny-upload\"]"));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
        String id = submitted.json().get("jobId").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(submitted.json().get("entryClass").asText()).isEqualTo(TinyJob.class.getName());

        JsonNode listed = awaitCheckpointed(id);
        assertThat(listed.get("name").asText()).isEqualTo("fx-tiny-upload");
        assertThat(listed.get("startTime").asText()).isNotBlank();
        JsonNode cp = listed.get("lastCheckpoint");
        assertThat(cp.get("id").asLong()).isPositive();
        assertThat(cp.get("completedAt").asText()).isNotBlank();
        assertThat(cp.get("externalPath").asText()).startsWith("file:");
        // the uploaded copy is removed from Flink once the job runs
        assertThat(flinkGet("/jars").get("files")).isEmpty();

        TestApi.Res stopped = api.post(admin, "/api/v1/jobs/" + id + "/stop", Map.of());
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("COMPLETED");
        String savepoint = stopped.json().get("savepointPath").asText();
        assertThat(Path.of(URI.create(savepoint)).resolve("_metadata")).exists();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "FINISHED".equals(job(id).get("state").asText()));
        TestApi.Res status = api.get(admin, stopped.json().get("statusUrl").asText());
        assertThat(status.json().get("savepointPath").asText()).isEqualTo(savepoint);
    }

    @Test
    void aPlatformJobIsDeployedOnceAndRedeployedFromItsSavepoint() throws Exception {
        Map<String, Object> router = Map.of("job", "router", "programArgs", List.of("fx-router"));
        TestApi.Res first = api.post(admin, "/api/v1/jobs", router);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String id = first.json().get("jobId").asText();
        assertThat(first.json().get("jar").asText())
                .isEqualTo("fx-router-job-0.1.0-SNAPSHOT-job.jar");

        TestApi.Res twice = api.post(admin, "/api/v1/jobs", router);
        assertThat(twice.status()).as(twice.toString()).isEqualTo(409);
        assertThat(twice.json().get("message").asText()).contains("fx-router").contains(id);

        awaitCheckpointed(id);
        TestApi.Res stopped = api.post(admin, "/api/v1/jobs/" + id + "/stop", Map.of());
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        String savepoint = stopped.json().get("savepointPath").asText();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "FINISHED".equals(job(id).get("state").asText()));

        TestApi.Res again =
                api.post(
                        admin,
                        "/api/v1/jobs",
                        Map.of(
                                "job",
                                "router",
                                "programArgs",
                                List.of("fx-router"),
                                "savepointPath",
                                savepoint));
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        String restoredId = again.json().get("jobId").asText();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                flinkGet("/jobs/" + restoredId + "/checkpoints")
                                        .path("latest")
                                        .path("restored")
                                        .path("external_path")
                                        .asText()
                                        .equals(savepoint));
        // running again: it checkpoints from the restored state, then it can be stopped again
        awaitCheckpointed(restoredId);
        TestApi.Res cleanup = api.post(admin, "/api/v1/jobs/" + restoredId + "/stop", Map.of());
        assertThat(cleanup.status()).as(cleanup.toString()).isEqualTo(200);

        TestApi.Res noJar = api.post(admin, "/api/v1/jobs", Map.of("job", "ops-sink"));
        assertThat(noJar.status()).isEqualTo(404);
        assertThat(noJar.json().get("message").asText()).contains("fx-ops-sink-job-");
    }

    @Test
    void brokenRequestsGetClearErrors() throws Exception {
        assertBad(
                upload("hello, not a jar".getBytes(StandardCharsets.UTF_8), Map.of()),
                400,
                "not a jar");
        assertBad(upload(JobJars.tinyJob(false), Map.of()), 400, "Main-Class");
        assertBad(
                upload(JobJars.tinyJob(false), Map.of("entryClass", "com.example.Missing")),
                400,
                "entry point class 'com.example.Missing' was not found");
        assertBad(
                upload(JobJars.tinyJob(true), Map.of("entryClass", "not a class!")),
                400,
                "entryClass");
        assertBad(upload(JobJars.tinyJob(true), Map.of("programArgs", "--x 1")), 400, "JSON array");
        assertBad(upload(JobJars.tinyJob(true), Map.of("parallelism", "0")), 400, "parallelism");
        assertBad(
                api.multipart(
                        admin, "/api/v1/jobs", "file", "x.jar", JobJars.tinyJob(true), Map.of()),
                400,
                "part 'jar'");
        assertBad(
                api.post(admin, "/api/v1/jobs", Map.of("job", "nope")), 400, "[ops-sink, router]");
        assertBad(api.post(admin, "/api/v1/jobs", Map.of()), 400, "'job' is required");
        assertBad(api.post(admin, "/api/v1/jobs", "{broken"), 400, "malformed JSON");
        assertBad(
                api.post(admin, "/api/v1/jobs", Map.of("job", "router", "extra", 1)),
                400,
                "unknown field 'extra'");
        assertBad(
                api.post(admin, "/api/v1/jobs", Map.of("job", "router", "programArgs", "a b")),
                400,
                "programArgs");
        assertBad(api.post(admin, "/api/v1/jobs/not-a-job-id/stop", Map.of()), 400, "32 hex");
        assertBad(
                api.post(admin, "/api/v1/jobs/" + "0".repeat(32) + "/stop", Map.of()),
                404,
                "knows no job");
        assertBad(
                api.post(admin, "/api/v1/jobs/" + "0".repeat(32) + "/stop", Map.of("drain", "yes")),
                400,
                "drain");
        assertBad(
                api.get(admin, "/api/v1/jobs/" + "0".repeat(32) + "/savepoints/..%2F..%2Foverview"),
                400,
                "trigger id");
        // platform admins only: a project admin may not run code on the cluster
        assertThat(api.get(projectAdmin, "/api/v1/jobs").status()).isEqualTo(403);
        assertThat(api.post(projectAdmin, "/api/v1/jobs", Map.of("job", "router")).status())
                .isEqualTo(403);
        TestApi.Res foreignUpload =
                api.multipart(
                        projectAdmin,
                        "/api/v1/jobs",
                        "jar",
                        "t.jar",
                        JobJars.tinyJob(true),
                        Map.of());
        assertThat(foreignUpload.status()).isEqualTo(403);
        assertThat(api.get(null, "/api/v1/jobs").status()).isEqualTo(401);
        // nothing of this reached the cluster
        for (JsonNode j : flinkGet("/jobs/overview").get("jobs")) {
            assertThat(j.get("name").asText()).isIn("fx-tiny-upload", "fx-router");
        }
    }

    @Test
    void healthReportsFlinkAndTheRoutesSayWhenItIsNotConfigured() {
        TestApi.Res h = api.get(null, "/health");
        // the cluster answers with its TaskManager, but the ops sink job was never deployed here:
        // Flink is DOWN for the platform (only DEGRADED for the manager: Flink is optional)
        JsonNode flink = h.json().get("components").get("flink");
        assertThat(flink.get("status").asText()).as(h.toString()).isEqualTo("DOWN");
        assertThat(flink.get("reason").asText()).contains("fx-ops-sink is not deployed");
        assertThat(flink.get("details").get("taskManagers").asInt()).isEqualTo(1);

        ManagerConfig c = fx.config();
        try (ManagerApp noFlink = new ManagerApp(c, ManagerDeps.create(c)).start()) {
            TestApi other = new TestApi(noFlink.port());
            JsonNode flinkHealth = other.get(null, "/health").json().get("components").get("flink");
            assertThat(flinkHealth.get("status").asText()).isEqualTo("DISABLED");
            assertThat(flinkHealth.get("error").asText()).contains("FX_FLINK_REST_URL");
            TestApi.Res jobs = other.get(admin, "/api/v1/jobs");
            assertThat(jobs.status()).isEqualTo(503);
            assertThat(jobs.json().get("message").asText())
                    .contains("FX_FLINK_REST_URL is not set");
        }
    }

    private static TestApi.Res upload(byte[] jar, Map<String, String> fields) {
        return api.multipart(admin, "/api/v1/jobs", "jar", "job.jar", jar, fields);
    }

    private static void assertBad(TestApi.Res r, int status, String reason) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("message").asText()).as(r.toString()).contains(reason);
    }

    /** Waits until the job runs and has a completed checkpoint; returns its listing. */
    private static JsonNode awaitCheckpointed(String id) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            JsonNode j = job(id);
                            return j != null
                                    && "RUNNING".equals(j.get("state").asText())
                                    && j.hasNonNull("lastCheckpoint");
                        });
        return job(id);
    }

    private static JsonNode job(String id) {
        TestApi.Res r = api.get(admin, "/api/v1/jobs");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode j : r.json()) {
            if (j.get("id").asText().equals(id)) {
                return j;
            }
        }
        return null;
    }

    private static JsonNode flinkGet(String path) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(flink.restUrl() + path)).build(),
                                HttpResponse.BodyHandlers.ofString());
        return io.fxflink.manager.api.Json.mapper().readTree(r.body());
    }
}
