package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.platform.LocalFlinkCluster;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} against a real Flink MiniCluster (no supervisor, so a lost TaskManager stays
 * lost) and real Kafka: a platform job RUNNING and checkpointing is UP; its TaskManager terminated
 * makes Flink DOWN (503 when Flink is required, 200 DEGRADED when it is optional, the default); a
 * checkpoint older than the bound is DEGRADED; requests waiting on the executions topic with no
 * executor in the group are DOWN, consumed and committed by a member UP.
 */
class HealthITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    private static final String JOB = "fx-health-probe";
    private static final String PREFIX =
            "health-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final String GROUP = PREFIX + "executor";

    @TempDir static Path home;

    static LocalFlinkCluster flink;
    static ManagerFixture fx;
    static ManagerApp strict;
    static ManagerApp lenient;

    @BeforeAll
    static void start() throws Exception {
        String yaml =
                Files.readString(ProjectRoot.find().resolve("flink-conf").resolve("config.yaml"));
        yaml = yaml.replace("port: 6123", "port: 0").replace("port: \"6124\"", "port: \"0\"");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        flink = LocalFlinkCluster.start(conf, home.resolve("fx"), freePort(), 2, Optional.empty());
        try (Admin admin = Admin.create(kafka())) {
            admin.createTopics(List.of(new NewTopic(PREFIX + "fx.executions", 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        fx = new ManagerFixture(SERVERS);
        Map<String, String> common =
                Map.of(
                        "FX_FLINK_REST_URL", flink.restUrl(),
                        "FX_HEALTH_FLINK_JOBS", JOB,
                        "FX_TOPIC_PREFIX", PREFIX,
                        "FX_EXECUTOR_GROUP", GROUP);
        // Flink required: its DOWN is the manager's DOWN (elasticsearch is not started here)
        strict = fx.start(with(common, Map.of("FX_HEALTH_OPTIONAL", "executor,elasticsearch")));
        // the default (Flink optional) and a checkpoint bound no job can meet
        lenient = fx.start(with(common, Map.of("FX_HEALTH_MAX_CHECKPOINT_AGE_MS", "1")));
        TestApi.Res submitted =
                new TestApi(strict.port())
                        .multipart(
                                strict.bootstrapToken().orElseThrow().token(),
                                "/api/v1/jobs",
                                "jar",
                                "probe.jar",
                                JobJars.tinyJob(true),
                                Map.of("programArgs", "[\"" + JOB + "\"]"));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {strict, lenient, flink}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aLostTaskManagerMakesFlinkDownAndAStaleCheckpointDegraded() throws Exception {
        await("the probe job RUNNING with a fresh checkpoint: flink UP")
                .atMost(Duration.ofMinutes(2))
                .untilAsserted(
                        () -> {
                            JsonNode h = health(strict);
                            // path(): a field not there yet is an assertion to retry, not an NPE
                            JsonNode f = h.path("components").path("flink");
                            assertThat(f.path("status").asText()).as(h.toString()).isEqualTo("UP");
                            assertThat(f.path("details").path("taskManagers").asInt()).isEqualTo(1);
                            assertThat(
                                            f.path("details")
                                                    .path("jobs")
                                                    .path(JOB)
                                                    .path("lastCheckpointId")
                                                    .asLong())
                                    .as(h.toString())
                                    .isPositive();
                        });
        assertThat(new TestApi(strict.port()).get(null, "/health").status()).isEqualTo(200);
        JsonNode stale = health(lenient).get("components").get("flink");
        assertThat(stale.get("status").asText()).as(stale.toString()).isEqualTo("DEGRADED");
        assertThat(stale.get("reason").asText()).startsWith(JOB + " last completed checkpoint");

        flink.terminateTaskManager(0).get(30, TimeUnit.SECONDS);

        await("flink DOWN: no TaskManager")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () -> {
                            JsonNode h = health(strict);
                            JsonNode f = h.get("components").get("flink");
                            assertThat(f.get("status").asText()).as(h.toString()).isEqualTo("DOWN");
                            assertThat(f.get("reason").asText())
                                    .startsWith("no TaskManager registered");
                            assertThat(h.get("status").asText()).isEqualTo("DOWN");
                        });
        assertThat(new TestApi(strict.port()).get(null, "/health").status()).isEqualTo(503);
        JsonNode h = health(lenient);
        assertThat(new TestApi(lenient.port()).get(null, "/health").status()).isEqualTo(200);
        assertThat(h.get("components").get("flink").get("status").asText()).isEqualTo("DOWN");
        assertThat(h.get("status").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void waitingRequestsWithoutAnExecutorAreDownAndConsumedOnesUp() throws Exception {
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(
                        kafka(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>(PREFIX + "fx.executions", ("r" + i).getBytes())).get();
            }
        }
        JsonNode down = health(strict).get("components").get("executor");
        assertThat(down.get("status").asText()).as(down.toString()).isEqualTo("DOWN");
        assertThat(down.get("reason").asText())
                .isEqualTo(
                        "no executor consumes "
                                + PREFIX
                                + "fx.executions: 5 request(s) wait (group "
                                + GROUP
                                + " has no members)");
        assertThat(down.get("details").get("lag").asLong()).isEqualTo(5);

        Properties c = kafka();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> executor =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            executor.subscribe(List.of(PREFIX + "fx.executions"));
            int[] read = {0};
            await("the stand-in executor read the 5 requests")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                read[0] += executor.poll(Duration.ofMillis(200)).count();
                                return read[0] >= 5;
                            });
            executor.commitSync();
            JsonNode up = health(strict).get("components").get("executor");
            assertThat(up.get("status").asText()).as(up.toString()).isEqualTo("UP");
            assertThat(up.get("details").get("lag").asLong()).isZero();
            assertThat(up.get("details").get("members").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode health(ManagerApp app) {
        return new TestApi(app.port()).get(null, "/health").json();
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static Properties kafka() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
