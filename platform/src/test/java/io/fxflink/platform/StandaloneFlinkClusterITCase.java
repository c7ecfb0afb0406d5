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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone cluster as {@code fx up --flink standalone} runs it: a JobManager and a
 * TaskManager process; kill -9 of the TaskManager makes the supervisor start a new one and the job
 * runs again from its latest completed checkpoint.
 */
class StandaloneFlinkClusterITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path home;

    @Test
    void aKilledTaskManagerIsReplacedAndTheJobResumesFromItsLatestCheckpoint() throws Exception {
        Path root = ProjectRoot.find();
        StandaloneFlinkCluster.Spec spec =
                new StandaloneFlinkCluster.Spec(
                        root.resolve("flink-conf"),
                        home,
                        freePort(),
                        freePort(),
                        1,
                        new ModuleClasspath(root).of("platform"),
                        Map.of(
                                "taskmanager.numberOfTaskSlots", "2",
                                "taskmanager.memory.process.size", "1g",
                                "jobmanager.memory.process.size", "768m"));
        List<ProcessHandle> started = new ArrayList<>();
        try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(spec)) {
            String rest = cluster.restUrl();
            started.add(ProcessHandle.of(cluster.jobManagerPid()).orElseThrow());
            long firstTm = cluster.taskManagerPids().get(0);
            started.add(ProcessHandle.of(firstTm).orElseThrow());
            assertThat(get(rest, "/overview").path("taskmanagers").asInt()).isEqualTo(1);
            assertThat(firstTm).isNotEqualTo(cluster.jobManagerPid());

            String jobId =
                    new FlinkRestClient(rest)
                            .submit(JobJars.of(CheckpointedCounterJob.class, home), List.of());
            await("two completed checkpoints")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> completedCheckpoints(rest, jobId) >= 2);
            long completedBeforeKill =
                    get(rest, "/jobs/" + jobId + "/checkpoints")
                            .path("latest")
                            .path("completed")
                            .path("id")
                            .asLong();

            long killedAt = System.nanoTime();
            ProcessHandle.of(firstTm).orElseThrow().destroyForcibly();

            await("a replacement TaskManager")
                    .atMost(Duration.ofMinutes(1))
                    .until(
                            () ->
                                    cluster.taskManagerRestarts() == 1
                                            && !cluster.taskManagerPids().contains(firstTm));
            started.add(ProcessHandle.of(cluster.taskManagerPids().get(0)).orElseThrow());
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
            long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
            // REST caches checkpoint stats for a few seconds: the id read before the kill can lag
            // behind the one restored, never run ahead of it
            assertThat(restored[0].path("id").asLong()).isGreaterThanOrEqualTo(completedBeforeKill);
            assertThat(restored[0].path("is_savepoint").asBoolean()).isFalse();
            assertThat(restored[0].path("external_path").asText())
                    .contains("chk-" + restored[0].path("id").asLong());
            System.out.printf(
                    "TaskManager kill -9 -> job RUNNING from checkpoint %d (completed before the"
                            + " kill: %d) in %d ms%n",
                    restored[0].path("id").asLong(), completedBeforeKill, recoveredMs);
        }
        await("every cluster process gone")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(started).noneMatch(ProcessHandle::isAlive));
    }

    private static long completedCheckpoints(String rest, String jobId) throws Exception {
        return get(rest, "/jobs/" + jobId + "/checkpoints")
                .path("counts")
                .path("completed")
                .asLong();
    }

    private static JsonNode get(String rest, String path) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(rest + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
