package io.fxflink.manager.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.manager.health.ComponentHealth.Status;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Flink verdict from fake REST answers shaped as Flink 2.2's ({@code /taskmanagers}, {@code
 * /jobs/overview}, {@code /jobs/:id/checkpoints}, {@code /jobs/:id/checkpoints/config}, trimmed to
 * the fields around the ones read).
 */
class FlinkHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_760_000_000_000L;
    private static final String ROUTER = "3f1c0a7e9b2d4c6e8f0a1b2c3d4e5f60";
    private static final String OPS = "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5";

    private final Map<String, String> answers = new HashMap<>();

    @Test
    void runningJobsWithFreshCheckpointsAndATaskManagerAreUp() throws Exception {
        oneTaskManager();
        jobs(job(ROUTER, "fx-router", "RUNNING", 1, 1), job(OPS, "fx-ops-sink", "RUNNING", 4, 4));
        checkpointed(ROUTER, NOW - 1_500, 2000);
        checkpointed(OPS, NOW - 3_000, 2000);

        ComponentHealth h = check(Optional.empty());

        assertThat(h.status()).isEqualTo(Status.UP);
        assertThat(h.reason()).isEqualTo("1 TaskManager(s), 2 platform job(s) RUNNING");
        assertThat(h.details()).containsEntry("taskManagers", 1);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> jobs =
                (Map<String, Map<String, Object>>) h.details().get("jobs");
        assertThat(jobs.get("fx-router"))
                .containsEntry("state", "RUNNING")
                .containsEntry("lastCheckpointAgeMs", 1_500L)
                .containsEntry("maxCheckpointAgeMs", 20_000L)
                .containsEntry("lastCheckpointId", 42L);
    }

    @Test
    void noTaskManagerAndRestartingJobsAreDown() throws Exception {
        answers.put("/taskmanagers", "{\"taskmanagers\":[]}");
        jobs(
                job(ROUTER, "fx-router", "RESTARTING", 0, 1),
                job(OPS, "fx-ops-sink", "RESTARTING", 0, 4));
        checkpointed(ROUTER, NOW - 60_000, 2000);
        checkpointed(OPS, NOW - 60_000, 2000);

        ComponentHealth h = check(Optional.empty());

        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.reason())
                .isEqualTo(
                        "no TaskManager registered; fx-router is RESTARTING; fx-ops-sink is"
                                + " RESTARTING");
        assertThat(h.details()).containsEntry("taskManagers", 0);
    }

    @Test
    void aJobRunningWithTasksWaitingForSlotsIsDegradedAndZeroTaskManagersDown() throws Exception {
        oneTaskManager();
        jobs(job(ROUTER, "fx-router", "RUNNING", 0, 3), job(OPS, "fx-ops-sink", "RUNNING", 4, 4));
        checkpointed(ROUTER, NOW - 1_000, 2000);
        checkpointed(OPS, NOW - 1_000, 2000);

        ComponentHealth h = check(Optional.empty());

        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.reason())
                .isEqualTo(
                        "fx-router is RUNNING but only 0 of 3 tasks run (the others wait for slots"
                                + " or are deploying)");

        // what ./fx jobs showed during the incident: RUNNING, while no TaskManager was there
        answers.put("/taskmanagers", "{\"taskmanagers\":[]}");
        assertThat(check(Optional.empty()).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void aCheckpointOlderThanTenIntervalsIsDegraded() throws Exception {
        oneTaskManager();
        jobs(job(ROUTER, "fx-router", "RUNNING", 1, 1), job(OPS, "fx-ops-sink", "RUNNING", 4, 4));
        checkpointed(ROUTER, NOW - 25_000, 2000);
        checkpointed(OPS, NOW - 19_000, 2000);

        ComponentHealth h = check(Optional.empty());

        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.reason())
                .isEqualTo("fx-router last completed checkpoint 25.0 s ago (bound 20.0 s)");
    }

    @Test
    void aConfiguredBoundWinsOverTheJobsInterval() throws Exception {
        oneTaskManager();
        jobs(job(ROUTER, "fx-router", "RUNNING", 1, 1), job(OPS, "fx-ops-sink", "RUNNING", 4, 4));
        checkpointed(ROUTER, NOW - 6_000, 2000);
        checkpointed(OPS, NOW - 4_000, 2000);

        ComponentHealth h = check(Optional.of(Duration.ofSeconds(5)));

        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.reason())
                .isEqualTo("fx-router last completed checkpoint 6.0 s ago (bound 5.0 s)");
    }

    @Test
    void aJobRunningLongerThanTheBoundWithoutAnyCheckpointIsDegraded() throws Exception {
        oneTaskManager();
        jobs(job(ROUTER, "fx-router", "RUNNING", 1, 1), job(OPS, "fx-ops-sink", "RUNNING", 4, 4));
        answers.put(
                "/jobs/" + ROUTER + "/checkpoints",
                "{\"counts\":{\"restored\":0,\"total\":0,\"in_progress\":0,\"completed\":0,"
                        + "\"failed\":0},\"latest\":{\"completed\":null,\"savepoint\":null,"
                        + "\"failed\":null,\"restored\":null},\"history\":[]}");
        answers.put("/jobs/" + ROUTER + "/checkpoints/config", config(2000));
        checkpointed(OPS, NOW - 1_000, 2000);

        ComponentHealth h = check(Optional.empty());

        // the job started 30 s before NOW (see job())
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.reason())
                .isEqualTo("fx-router no completed checkpoint in 30.0 s of running (bound 20.0 s)");
    }

    @Test
    void aMissingOrEndedJobIsDownAndANewerRunWinsOverAnEndedOne() throws Exception {
        oneTaskManager();
        String oldRouter = "00000000000000000000000000000001";
        jobs(
                job(oldRouter, "fx-router", "CANCELED", 0, 1, NOW - 90_000),
                job(ROUTER, "fx-router", "RUNNING", 1, 1));
        checkpointed(ROUTER, NOW - 1_000, 2000);

        ComponentHealth h = check(Optional.empty());
        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.reason()).isEqualTo("fx-ops-sink is not deployed");

        jobs(job(ROUTER, "fx-router", "RUNNING", 1, 1), job(OPS, "fx-ops-sink", "CANCELED", 0, 4));
        h = check(Optional.empty());
        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.reason()).isEqualTo("fx-ops-sink is not running (last run CANCELED)");
    }

    @Test
    void aStartingJobIsDegraded() throws Exception {
        oneTaskManager();
        jobs(
                job(ROUTER, "fx-router", "INITIALIZING", 0, 1),
                job(OPS, "fx-ops-sink", "RUNNING", 4, 4));
        checkpointed(OPS, NOW - 1_000, 2000);

        ComponentHealth h = check(Optional.empty());

        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.reason()).isEqualTo("fx-router is starting (INITIALIZING)");
    }

    private ComponentHealth check(Optional<Duration> bound) throws Exception {
        FlinkRest fake =
                path -> {
                    String body = answers.get(path);
                    if (body == null) {
                        throw new IOException(
                                "Flink " + path + " answered 404: {\"errors\":[\"Not found\"]}");
                    }
                    return JSON.readTree(body);
                };
        return new FlinkHealth(
                        fake,
                        List.of("fx-router", "fx-ops-sink"),
                        bound,
                        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .check();
    }

    private void oneTaskManager() {
        answers.put(
                "/taskmanagers",
                "{\"taskmanagers\":[{\"id\":\"6d9b1f8e-3c2a-4b7d-9e1f-0a2b3c4d5e6f\","
                        + "\"path\":\"pekko://flink/user/rpc/taskmanager_0\",\"dataPort\":-1,"
                        + "\"jmxPort\":-1,\"timeSinceLastHeartbeat\":"
                        + (NOW - 400)
                        + ",\"slotsNumber\":4,\"freeSlots\":0,\"totalResource\":{\"cpuCores\":4.0,"
                        + "\"taskHeapMemory\":128,\"taskOffHeapMemory\":0,\"managedMemory\":128,"
                        + "\"networkMemory\":64,\"extendedResources\":{}},\"hardware\":{"
                        + "\"cpuCores\":2,\"physicalMemory\":8589934592,\"freeMemory\":536870912,"
                        + "\"managedMemory\":134217728},\"blocked\":false}]}");
    }

    private void jobs(String... jobs) {
        answers.put("/jobs/overview", "{\"jobs\":[" + String.join(",", jobs) + "]}");
    }

    private static String job(String id, String name, String state, int running, int total) {
        return job(id, name, state, running, total, NOW - 30_000);
    }

    private static String job(
            String id, String name, String state, int running, int total, long start) {
        boolean ended = List.of("CANCELED", "FAILED", "FINISHED").contains(state);
        return "{\"jid\":\""
                + id
                + "\",\"name\":\""
                + name
                + "\",\"start-time\":"
                + start
                + ",\"end-time\":"
                + (ended ? start + 1000 : -1)
                + ",\"duration\":"
                + (NOW - start)
                + ",\"state\":\""
                + state
                + "\",\"last-modification\":"
                + (NOW - 2000)
                + ",\"tasks\":{\"running\":"
                + running
                + ",\"canceling\":0,\"canceled\":"
                + (state.equals("CANCELED") ? total : 0)
                + ",\"total\":"
                + total
                + ",\"created\":0,\"scheduled\":"
                + (state.equals("RUNNING") ? total - running : 0)
                + ",\"deploying\":0,\"reconciling\":0,\"finished\":0,\"initializing\":0,"
                + "\"failed\":0},\"pending-operators\":0}";
    }

    private void checkpointed(String id, long ackAt, long interval) {
        answers.put(
                "/jobs/" + id + "/checkpoints",
                "{\"counts\":{\"restored\":0,\"total\":42,\"in_progress\":0,\"completed\":42,"
                        + "\"failed\":0},\"latest\":{\"completed\":{\"className\":\"completed\","
                        + "\"id\":42,\"status\":\"COMPLETED\",\"is_savepoint\":false,"
                        + "\"trigger_timestamp\":"
                        + (ackAt - 20)
                        + ",\"latest_ack_timestamp\":"
                        + ackAt
                        + ",\"checkpointed_size\":5012,\"state_size\":5012,"
                        + "\"end_to_end_duration\":20,\"num_subtasks\":1,"
                        + "\"num_acknowledged_subtasks\":1,\"checkpoint_type\":\"CHECKPOINT\","
                        + "\"external_path\":\"file:/tmp/fx/flink/checkpoints/"
                        + id
                        + "/chk-42\",\"discarded\":false},\"savepoint\":null,\"failed\":null,"
                        + "\"restored\":null},\"history\":[]}");
        answers.put("/jobs/" + id + "/checkpoints/config", config(interval));
    }

    private static String config(long interval) {
        return "{\"mode\":\"exactly_once\",\"interval\":"
                + interval
                + ",\"timeout\":60000,\"min_pause\":500,\"max_concurrent\":1,"
                + "\"externalization\":{\"enabled\":true,\"delete_on_cancellation\":false},"
                + "\"state_backend\":\"HashMapStateBackend\","
                + "\"checkpoint_storage\":\"FileSystemCheckpointStorage\","
                + "\"unaligned_checkpoints\":false,\"tolerable_failed_checkpoints\":3}";
    }
}
