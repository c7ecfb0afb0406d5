package io.fxflink.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.cli.FxCliRunner;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.e2e.chain.ChainPackages;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.testsupport.RealServers;
import io.fxflink.testsupport.TopicToEnd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover drill (issue 7): the platform with a standalone Flink cluster; while 10,000 events
 * flow through a chain of two JVM services, kill -9 the TaskManager and, later, the executor.
 * Afterwards every event's chain completed and no execution id succeeded twice. Prints the recovery
 * times and a {@code DRILL-JSON} line.
 *
 * <p>Duplicates are counted on the raw lifecycle topic ({@code fx.ops.executions}): the executions
 * table and the Elasticsearch index are upserted by execution id and would hide a second success.
 */
class FailoverDrillE2E {
    @RegisterExtension static final RealServers SERVERS = RealServers.all();

    static final int EVENTS = 10_000;
    private static final int BATCH = 100;

    /** A batch every 500 ms = 200 events/s: the stream lasts ~50 s, long enough for both kills. */
    private static final long BATCH_EVERY_MS = 500;

    /** Executions the executor must hold in flight when it is killed. */
    private static final long BUSY_AT_KILL = 20;

    private static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String EXECUTOR_MAIN = "io.fxflink.executor.ExecutorMain";
    private static final String RUN_PREFIX = "drill-run-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final LocalPlatform.Options DRILL =
            new LocalPlatform.Options(
                    18280,
                    18281,
                    18290,
                    19992,
                    List.of("--flink", "standalone"),
                    Map.of(
                            "FX_FLINK_RPC_PORT", "18282",
                            // a dead executor's partitions go to the new one after this long
                            "FX_KAFKA_SESSION_TIMEOUT_MS", "10000",
                            // tiny JVM services: an execution waits on Kafka acks and
                            // PostgreSQL, not CPU, so more of them at once keep the chain moving
                            "FX_JVM_THREADS", "32",
                            "FX_MAX_IN_FLIGHT", "1000",
                            "FX_PYTHON_WORKERS", "1"));

    private static LocalPlatform platform;
    private static FxCliRunner fx;

    @BeforeAll
    static void up() throws Exception {
        RealServers.PgDatabase db = SERVERS.newDatabase("drill");
        platform = LocalPlatform.start(SERVERS.endpoints(), db.url(), DRILL);
        fx = new FxCliRunner(platform.cliEnv(), ProjectRoot.find());
    }

    @AfterAll
    static void down() throws Exception {
        if (platform == null) {
            return;
        }
        platform.stopLeavingNoProcess();
    }

    @Test
    void everyChainCompletesOnceAcrossATaskManagerAndAnExecutorKill(@TempDir Path tmp)
            throws Exception {
        FxCliRunner.Result status = fx.run("status", "--output", "json");
        assertThat(JSON.readTree(status.out()).path("flink_mode").asText())
                .as(status.toString())
                .isEqualTo("standalone");
        for (Path service : ChainPackages.write(tmp)) {
            FxCliRunner.Result deployed = fx.run("deploy", service.toString());
            assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        }
        String flink = "http://127.0.0.1:" + DRILL.flinkPort();
        String routerJob = jobId(flink, "fx-router");
        Map<String, String> cli = platform.cliEnv();
        EventSender sender = new EventSender(cli.get("FX_URL"), cli.get("FX_TOKEN"));

        // the links reach the router within a second; one chain end proves the whole path is up
        sender.send(List.of(event("drill-warmup")));
        await("the warm-up chain")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> succeeded("root_event_id = 'drill-warmup'").size() == 2);

        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        long firstSentMs = System.currentTimeMillis();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        pacer.scheduleAtFixedRate(
                () -> {
                    int from = sent.get();
                    if (from >= EVENTS || sendFailure.get() != null) {
                        return;
                    }
                    try {
                        List<ObjectNode> batch = new java.util.ArrayList<>();
                        for (int i = from; i < Math.min(EVENTS, from + BATCH); i++) {
                            batch.add(event(RUN_PREFIX + i));
                        }
                        sender.send(batch);
                        sent.addAndGet(batch.size());
                    } catch (Throwable t) {
                        sendFailure.set(t);
                    }
                },
                0,
                BATCH_EVERY_MS,
                TimeUnit.MILLISECONDS);
        try {
            // 1. the TaskManager, a quarter into the stream
            await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= EVENTS / 4);
            ProcessHandle tm = only(platform.processesRunning(TASK_MANAGER_MAIN), "TaskManager");
            int sentAtTmKill = sent.get();
            long tmKilledMs = System.currentTimeMillis();
            tm.destroyForcibly();
            JsonNode restored = awaitRestored(flink, routerJob, tmKilledMs);
            long tmToRunningMs = System.currentTimeMillis() - tmKilledMs;
            System.out.printf(
                    "DRILL TaskManager pid %d killed after %d events; router job RUNNING again"
                            + " from checkpoint %d after %d ms%n",
                    tm.pid(), sentAtTmKill, restored.path("id").asLong(), tmToRunningMs);

            // 2. the executor, once the router is back and 60 % of the events are sent
            await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= EVENTS * 6 / 10);
            ProcessHandle executor = only(platform.processesRunning(EXECUTOR_MAIN), "executor");
            // the stream comes in batches: kill while the executor holds work, never between
            // batches when it is idle (the drill would then prove nothing about the kill)
            long gaugeAtKill = awaitExecutorInFlight(BUSY_AT_KILL);
            long executorKilledMs = System.currentTimeMillis();
            executor.destroyForcibly();
            await("a new executor, healthy")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    platform.processesRunning(EXECUTOR_MAIN).stream()
                                                    .anyMatch(h -> h.pid() != executor.pid())
                                            && httpStatus(
                                                            "http://127.0.0.1:"
                                                                    + DRILL.executorHealthPort()
                                                                    + "/health")
                                                    == 200);
            long executorToHealthyMs = System.currentTimeMillis() - executorKilledMs;
            System.out.printf(
                    "DRILL executor pid %d killed after %d events; the platform's new executor"
                            + " healthy after %d ms%n",
                    executor.pid(), sent.get(), executorToHealthyMs);

            await("all events sent")
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> sent.get() >= EVENTS);
            assertThat(sendFailure.get()).as("sending failed").isNull();

            // every event's chain completed: both services SUCCEEDED for every trigger (SQL)
            await("every chain completed")
                    .atMost(Duration.ofMinutes(6))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    succeeded(
                                                            "root_event_id like '"
                                                                    + RUN_PREFIX
                                                                    + "%'"))
                                            .containsEntry(ChainPackages.RELAY, (long) EVENTS)
                                            .containsEntry(ChainPackages.END, (long) EVENTS));

            // no execution id ran to success twice: every lifecycle record on the topic
            LifecycleLog ops = LifecycleLog.read(platform.topicPrefix());
            assertThat(ops.succeededTwice()).as("execution ids that succeeded twice").isEmpty();
            assertThat(ops.startedTwiceUnderOneAttempt())
                    .as("(execution id, attempt) pairs started more than once")
                    .isEmpty();
            assertThat(ops.succeededExecutions(RUN_PREFIX)).isEqualTo(2L * EVENTS);
            // the executor kill hit work in flight: otherwise the drill proved nothing about it
            // the kill hit work in flight: the executor's own gauge just before it, and what the
            // lifecycle topic shows (started, not succeeded; started again as attempt > 1)
            long inFlightAtKill = ops.inFlightAt(executorKilledMs, RUN_PREFIX);
            long rerunsAfterKill = ops.rerunsStartedAfter(executorKilledMs);
            assertThat(gaugeAtKill)
                    .as(
                            "fx.executor.in.flight at the kill (topic: %d started and not"
                                    + " succeeded, %d run again as attempt > 1)",
                            inFlightAtKill, rerunsAfterKill)
                    .isGreaterThanOrEqualTo(BUSY_AT_KILL);

            long firstChainEndAfterTmKill =
                    ops.firstChainEnd(ChainPackages.END, RUN_PREFIX, sentAtTmKill) - tmKilledMs;
            long firstCompletionAfterExecutorKill =
                    ops.firstSuccessAfter(executorKilledMs) - executorKilledMs;
            long endToEndMs = ops.lastSuccess(RUN_PREFIX) - firstSentMs;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("events", EVENTS);
            figures.put("executions_succeeded", ops.succeededExecutions(RUN_PREFIX));
            figures.put("tm_kill_to_router_running_ms", tmToRunningMs);
            figures.put("tm_restored_checkpoint", restored.path("id").asLong());
            figures.put("tm_kill_to_first_new_chain_end_ms", firstChainEndAfterTmKill);
            figures.put("executor_kill_to_new_executor_healthy_ms", executorToHealthyMs);
            figures.put("executor_kill_to_first_completion_ms", firstCompletionAfterExecutorKill);
            figures.put("executor_in_flight_gauge_at_kill", gaugeAtKill);
            figures.put("in_flight_at_executor_kill", inFlightAtKill);
            figures.put("reruns_after_executor_kill", rerunsAfterKill);
            figures.put("end_to_end_ms", endToEndMs);
            figures.put("load_avg_1m", loadAverage());
            String json = JSON.writeValueAsString(figures);
            System.out.println("DRILL-JSON " + json);
            Files.writeString(
                    ProjectRoot.find().resolve("e2e/target/failover-drill.json"), json + "\n");
        } finally {
            pacer.shutdownNow();
        }
    }

    private static ObjectNode event(String id) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", "urn:fx:failover-drill");
        e.put("type", ChainPackages.START_TYPE);
        e.put("datacontenttype", "application/json");
        e.putObject("data").put("id", id);
        return e;
    }

    /** SUCCEEDED executions per service among the rows matching {@code where}, through SQL. */
    private static Map<String, Long> succeeded(String where) throws Exception {
        FxCliRunner.Result r =
                fx.run(
                        "--output",
                        "json",
                        "sql",
                        "select service, count(distinct root_event_id) as n from executions where"
                                + " status = 'SUCCEEDED' and "
                                + where
                                + " group by service");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode row : JSON.readTree(r.out())) {
            JsonNode service = row.isArray() ? row.path(0) : row.path("service");
            JsonNode n = row.isArray() ? row.path(1) : row.path("n");
            counts.put(service.asText(), n.asLong());
        }
        return counts;
    }

    private static String jobId(String flink, String name) throws Exception {
        for (JsonNode j : get(flink + "/jobs/overview").path("jobs")) {
            if (j.path("name").asText().equals(name)
                    && j.path("state").asText().equals("RUNNING")) {
                return j.path("jid").asText();
            }
        }
        throw new AssertionError("no running job " + name + " on " + flink);
    }

    /** Waits until the job runs again, restored from a checkpoint after {@code killedMs}. */
    private static JsonNode awaitRestored(String flink, String job, long killedMs) {
        JsonNode[] restored = new JsonNode[1];
        await("router job RUNNING again from a checkpoint")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            JsonNode j = get(flink + "/jobs/" + job);
                            assertThat(j.path("state").asText()).isEqualTo("RUNNING");
                            assertThat(j.path("vertices"))
                                    .allMatch(v -> v.path("status").asText().equals("RUNNING"));
                            JsonNode r =
                                    get(flink + "/jobs/" + job + "/checkpoints")
                                            .path("latest")
                                            .path("restored");
                            assertThat(r.path("restore_timestamp").asLong())
                                    .as("latest.restored %s", r)
                                    .isGreaterThanOrEqualTo(killedMs);
                            restored[0] = r;
                        });
        return restored[0];
    }

    /**
     * Waits until the executor's {@code fx.executor.in.flight} gauge (its Prometheus scrape) is at
     * least {@code n}; returns the value read.
     */
    private static long awaitExecutorInFlight(long n) {
        String url = "http://127.0.0.1:" + DRILL.executorHealthPort() + "/metrics";
        long[] seen = new long[1];
        await("the executor holding at least " + n + " executions in flight")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(5))
                .until(
                        () -> {
                            seen[0] = inFlightGauge(url);
                            return seen[0] >= n;
                        });
        return seen[0];
    }

    private static long inFlightGauge(String url) {
        try {
            String scrape =
                    HTTP.send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .timeout(Duration.ofSeconds(3))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            for (String line : scrape.split("\n")) {
                if (line.startsWith("fx_executor_in_flight")) {
                    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static ProcessHandle only(List<ProcessHandle> found, String what) {
        assertThat(found).as("the platform's " + what + " processes").hasSize(1);
        return found.get(0);
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int httpStatus(String url) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** {@code POST /api/v1/events} with a CloudEvents JSON batch. */
    private record EventSender(String managerUrl, String token) {
        void send(List<ObjectNode> events) throws Exception {
            ArrayNode batch = JSON.createArrayNode().addAll(events);
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(managerUrl + "/api/v1/events"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/cloudevents-batch+json")
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException(
                        "POST /api/v1/events answered " + r.statusCode() + ": " + r.body());
            }
        }
    }

    /** Every lifecycle record the executors wrote, read from the topic up to its current end. */
    private record LifecycleLog(List<JsonNode> records) {
        static LifecycleLog read(String topicPrefix) throws Exception {
            String topic = TopicNames.withPrefix(topicPrefix).opsExecutions();
            List<JsonNode> records = new java.util.ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    TopicToEnd.read(SERVERS.kafkaBootstrap(), topic, Duration.ofMinutes(2))) {
                records.add(JSON.readTree(r.value()));
            }
            return new LifecycleLog(records);
        }

        private List<JsonNode> successes() {
            return records.stream()
                    .filter(r -> r.path("status").asText().equals("SUCCEEDED"))
                    .toList();
        }

        /**
         * Execution ids that ran to success more than once: SUCCEEDED records that differ in
         * attempt or in time. The same record published again (same attempt and time, after a crash
         * between publishing it and recording that it was) is one success.
         */
        Map<String, Long> succeededTwice() {
            Map<String, Set<String>> runs = new HashMap<>();
            successes()
                    .forEach(
                            r ->
                                    runs.computeIfAbsent(
                                                    r.path("executionId").asText(),
                                                    k -> new HashSet<>())
                                            .add(
                                                    r.path("attempt").asInt()
                                                            + "@"
                                                            + r.path("time").asText()));
            return moreThanOne(runs);
        }

        /**
         * (execution id, attempt) pairs with more than one STARTED record: a second real run under
         * the same attempt, which a count of successes by attempt would not see. An execution found
         * again after a crash is claimed as attempt + 1, so a pair starts once.
         */
        Map<String, Long> startedTwiceUnderOneAttempt() {
            Map<String, Set<String>> starts = new HashMap<>();
            records.stream()
                    .filter(r -> r.path("status").asText().equals("STARTED"))
                    .forEach(
                            r ->
                                    starts.computeIfAbsent(
                                                    r.path("executionId").asText()
                                                            + "#"
                                                            + r.path("attempt").asInt(),
                                                    k -> new HashSet<>())
                                            .add(r.path("time").asText()));
            return moreThanOne(starts);
        }

        private static Map<String, Long> moreThanOne(Map<String, Set<String>> byKey) {
            Map<String, Long> n = new HashMap<>();
            byKey.forEach(
                    (key, distinct) -> {
                        if (distinct.size() > 1) {
                            n.put(key, (long) distinct.size());
                        }
                    });
            return n;
        }

        long succeededExecutions(String rootPrefix) {
            return successes().stream()
                    .filter(r -> r.path("rootEventId").asText().startsWith(rootPrefix))
                    .map(r -> r.path("executionId").asText())
                    .distinct()
                    .count();
        }

        /** Executions of the run started before {@code ms} and not succeeded before it. */
        long inFlightAt(long ms, String rootPrefix) {
            Set<String> startedBefore = new HashSet<>();
            Set<String> succeededBefore = new HashSet<>();
            for (JsonNode r : records) {
                if (!r.path("rootEventId").asText().startsWith(rootPrefix) || timeMs(r) >= ms) {
                    continue;
                }
                String status = r.path("status").asText();
                if (status.equals("STARTED")) {
                    startedBefore.add(r.path("executionId").asText());
                } else if (status.equals("SUCCEEDED")) {
                    succeededBefore.add(r.path("executionId").asText());
                }
            }
            startedBefore.removeAll(succeededBefore);
            return startedBefore.size();
        }

        /** Executions started again (attempt > 1) after {@code ms}: found after a crash. */
        long rerunsStartedAfter(long ms) {
            return records.stream()
                    .filter(r -> r.path("status").asText().equals("STARTED"))
                    .filter(r -> r.path("attempt").asInt() > 1)
                    .filter(r -> timeMs(r) > ms)
                    .count();
        }

        /** When the first chain of an event sent after index {@code sentBefore} ended. */
        long firstChainEnd(String endService, String rootPrefix, int sentBefore) {
            return successes().stream()
                    .filter(r -> r.path("service").asText().equals(endService))
                    .filter(r -> r.path("rootEventId").asText().startsWith(rootPrefix))
                    .filter(
                            r ->
                                    Integer.parseInt(
                                                    r.path("rootEventId")
                                                            .asText()
                                                            .substring(rootPrefix.length()))
                                            >= sentBefore)
                    .mapToLong(LifecycleLog::timeMs)
                    .min()
                    .orElseThrow();
        }

        long firstSuccessAfter(long ms) {
            return successes().stream()
                    .mapToLong(LifecycleLog::timeMs)
                    .filter(t -> t > ms)
                    .min()
                    .orElseThrow();
        }

        long lastSuccess(String rootPrefix) {
            return successes().stream()
                    .filter(r -> r.path("rootEventId").asText().startsWith(rootPrefix))
                    .mapToLong(LifecycleLog::timeMs)
                    .max()
                    .orElseThrow();
        }

        private static long timeMs(JsonNode r) {
            JsonNode t = r.path("time");
            return t.isNumber()
                    ? (long) (t.asDouble() * 1000)
                    : Instant.parse(t.asText()).toEpochMilli();
        }
    }
}
