package io.fxflink.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.stack.ProjectRoot;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fx up}'s default Flink (a MiniCluster): its only TaskManager is stopped as a fatal error
 * stops it; the supervisor starts a new TaskManager in the MiniCluster and the job runs again from
 * its latest completed checkpoint. Without the supervisor the job stays without a TaskManager.
 */
class LocalFlinkSupervisorITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path home;

    @Test
    void aLostTaskManagerIsReplacedAndTheJobResumesFromItsLatestCheckpoint() throws Exception {
        LocalFlinkCluster.Supervision fast =
                new LocalFlinkCluster.Supervision(
                        Duration.ofMillis(250), Duration.ofMinutes(2), Duration.ofSeconds(30));
        try (LocalFlinkCluster cluster =
                LocalFlinkCluster.start(conf(), home, freePort(), 2, Optional.of(fast))) {
            String rest = cluster.restUrl();
            String jobId = submitAndAwaitCheckpoints(rest);
            long completedBefore = latestCompleted(rest, jobId);

            long lostAt = System.nanoTime();
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);

            await("a new TaskManager registered by the supervisor")
                    .atMost(Duration.ofMinutes(1))
                    .untilAsserted(
                            () -> {
                                assertThat(cluster.taskManagerRestarts()).isEqualTo(1);
                                assertThat(get(rest, "/taskmanagers").path("taskmanagers"))
                                        .hasSize(1);
                            });
            JsonNode restored = awaitRunningAndRestored(rest, jobId);
            long recoveredMs = (System.nanoTime() - lostAt) / 1_000_000;
            // REST caches checkpoint stats for a few seconds: the id read before the loss can lag
            // behind the one restored, never run ahead of it
            assertThat(restored.path("id").asLong()).isGreaterThanOrEqualTo(completedBefore);
            assertThat(restored.path("is_savepoint").asBoolean()).isFalse();
            assertThat(restored.path("external_path").asText())
                    .contains("chk-" + restored.path("id").asLong());
            // one replacement, not one per supervisor round
            assertThat(cluster.taskManagerRestarts()).isEqualTo(1);
            System.out.printf(
                    "MiniCluster TaskManager lost -> job RUNNING from checkpoint %d in %d ms%n",
                    restored.path("id").asLong(), recoveredMs);
        }
    }

    @Test
    void withoutTheSupervisorALostTaskManagerStaysLost() throws Exception {
        try (LocalFlinkCluster cluster =
                LocalFlinkCluster.start(conf(), home, freePort(), 2, Optional.empty())) {
            String rest = cluster.restUrl();
            String jobId = submitAndAwaitCheckpoints(rest);

            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);

            await("the TaskManager unregistered and the job no longer running")
                    .atMost(Duration.ofMinutes(1))
                    .untilAsserted(
                            () -> {
                                assertThat(get(rest, "/taskmanagers").path("taskmanagers"))
                                        .isEmpty();
                                JsonNode job = get(rest, "/jobs/" + jobId);
                                assertThat(job.path("vertices"))
                                        .noneMatch(
                                                v -> v.path("status").asText().equals("RUNNING"));
                            });
            assertThat(cluster.taskManagerRestarts()).isZero();
        }
    }

    private String submitAndAwaitCheckpoints(String rest) throws Exception {
        // right after the start the REST API answers 503 until its leader is elected
        await("the REST API serving jars")
                .atMost(Duration.ofMinutes(1))
                .until(() -> status(rest, "/jars") == 200);
        String jobId =
                new FlinkRestClient(rest)
                        .submit(JobJars.of(CheckpointedCounterJob.class, home), List.of());
        await("two completed checkpoints")
                .atMost(Duration.ofMinutes(1))
                .until(
                        () ->
                                get(rest, "/jobs/" + jobId + "/checkpoints")
                                                .path("counts")
                                                .path("completed")
                                                .asLong()
                                        >= 2);
        return jobId;
    }

    private static JsonNode awaitRunningAndRestored(String rest, String jobId) {
        JsonNode[] restored = new JsonNode[1];
        await("the job RUNNING again, restored from a checkpoint")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            JsonNode job = get(rest, "/jobs/" + jobId);
                            assertThat(job.path("state").asText()).isEqualTo("RUNNING");
                            assertThat(job.path("vertices"))
                                    .allMatch(v -> v.path("status").asText().equals("RUNNING"));
                            restored[0] =
                                    get(rest, "/jobs/" + jobId + "/checkpoints")
                                            .path("latest")
                                            .path("restored");
                            assertThat(restored[0].isObject())
                                    .as("latest.restored: %s", restored[0])
                                    .isTrue();
                        });
        return restored[0];
    }

    private static long latestCompleted(String rest, String jobId) throws Exception {
        return get(rest, "/jobs/" + jobId + "/checkpoints")
                .path("latest")
                .path("completed")
                .path("id")
                .asLong();
    }

    /** flink-conf/ with the fixed RPC and blob ports set to "any free port". */
    private Path conf() throws Exception {
        String yaml =
                Files.readString(ProjectRoot.find().resolve("flink-conf").resolve("config.yaml"));
        yaml = yaml.replace("port: 6123", "port: 0").replace("port: \"6124\"", "port: \"0\"");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        return conf;
    }

    private static JsonNode get(String rest, String path) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(rest + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int status(String rest, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(rest + path)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
