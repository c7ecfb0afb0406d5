package io.fxflink.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A package in the real S3 runs as a Python service from a request on a real executions topic; its
 * event, log and lifecycle records arrive on the real topics; the outcome is in PostgreSQL.
 */
class ExecutorEndToEndITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.KAFKA, ServerKind.POSTGRES, ServerKind.S3);

    static TopicNames topics;
    static RealServers.PgDatabase db;
    static String bucket;
    static ExecutorApp app;
    static KafkaProducer<byte[], byte[]> producer;
    static MinioClient minio;

    @BeforeAll
    static void start() throws Exception {
        String prefix = RealServers.uniqueName("ex") + ".";
        topics = TopicNames.withPrefix(prefix);
        db = SERVERS.newDatabase("executor");
        bucket = SERVERS.newBucketName("pkgs");
        minio =
                MinioClient.builder()
                        .endpoint(SERVERS.s3Endpoint())
                        .credentials(SERVERS.s3AccessKey(), SERVERS.s3SecretKey())
                        .build();
        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        Map<String, String> env = new HashMap<>();
        env.put("FX_KAFKA_BOOTSTRAP", SERVERS.kafkaBootstrap());
        env.put("FX_TOPIC_PREFIX", prefix);
        env.put("FX_EXECUTOR_GROUP", prefix + "executor");
        env.put("FX_S3_ENDPOINT", SERVERS.s3Endpoint());
        env.put("FX_S3_ACCESS_KEY", SERVERS.s3AccessKey());
        env.put("FX_S3_SECRET_KEY", SERVERS.s3SecretKey());
        env.put("FX_PACKAGE_BUCKET", bucket);
        env.put("FX_PG_URL", db.url());
        env.put("FX_PG_USER", db.user());
        env.put("FX_PG_PASSWORD", db.password());
        env.put("FX_PYTHON_WORKERS", "2");
        env.put("FX_EXECUTOR_HEALTH_PORT", "0");
        app = new ExecutorApp(ExecutorOptions.fromEnvironment(env)).start(env);
        Properties p = new Properties();
        p.put("bootstrap.servers", SERVERS.kafkaBootstrap());
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (minio != null) {
            minio.close();
        }
    }

    static PackageRef upload(Map<String, String> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        byte[] zipBytes = bytes.toByteArray();
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zipBytes));
        String key = "packages/" + sha + ".zip";
        minio.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(zipBytes), zipBytes.length, -1)
                        .build());
        return new PackageRef(key, sha);
    }

    static ExecutionRequest request(String service, PackageRef ref, int retries, String data) {
        TriggerEvent trigger =
                new TriggerEvent(
                        UUID.randomUUID().toString(),
                        "urn:test",
                        "order.created",
                        null,
                        null,
                        "application/json",
                        null,
                        data.getBytes(StandardCharsets.UTF_8),
                        Map.of());
        Instant now = Instant.now();
        return new ExecutionRequest(
                UUID.randomUUID().toString().replace("-", ""),
                "link-1",
                service,
                "1.0.0",
                ref,
                ServiceRuntime.PYTHON,
                trigger,
                1,
                now.plusSeconds(30),
                2,
                null,
                5,
                30_000,
                retries,
                50,
                now);
    }

    static void send(ExecutionRequest r) throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topics.executions(),
                                r.service().getBytes(StandardCharsets.UTF_8),
                                Codecs.EXECUTION_REQUEST.encode(r)))
                .get();
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        Properties p = new Properties();
        p.put("bootstrap.servers", SERVERS.kafkaBootstrap());
        p.put("group.id", "reader-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                c.poll(Duration.ofMillis(200)).forEach(out::add);
                                return out.size() >= atLeast;
                            });
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }

    static List<ExecutionLifecycleRecord> lifecycle(String executionId, ExecutionStatus last) {
        List<ExecutionLifecycleRecord> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            found.clear();
                            for (var r : readAll(topics.opsExecutions(), 1)) {
                                var rec = Codecs.EXECUTION_LIFECYCLE.decode(r.value());
                                if (rec.executionId().equals(executionId)) {
                                    found.add(rec);
                                }
                            }
                            return found.stream().anyMatch(r -> r.status() == last);
                        });
        return found;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aPythonPackageRunsFromARequestAndItsEventsLogsAndLifecycleArrive() throws Exception {
        PackageRef ref =
                upload(
                        Map.of(
                                "manifest.json",
                                "{\"name\": \"orders\", \"version\": \"1.0.0\", \"execution_order\":"
                                        + " [\"a.py\", \"b.py\"]}",
                                "a.py",
                                "from fx_ef import context\nprint('step a sees', context.params['n'])\n",
                                "b.py",
                                "from fx_ef import context\n"
                                        + "context.events.send('order.done', {'n': context.params['n'] + 1})\n"));
        ExecutionRequest req = request("orders", ref, 0, "{\"n\": 41}");
        send(req);

        List<ExecutionLifecycleRecord> states =
                lifecycle(req.executionId(), ExecutionStatus.SUCCEEDED);
        assertThat(states)
                .extracting(ExecutionLifecycleRecord::status)
                .containsExactlyInAnyOrder(
                        ExecutionStatus.QUEUED, ExecutionStatus.STARTED, ExecutionStatus.SUCCEEDED);

        var events = readAll(topics.events(), 1);
        var emitted =
                events.stream()
                        .filter(r -> req.executionId().equals(header(r, "ce_fxexecutionid")))
                        .toList();
        assertThat(emitted).hasSize(1);
        var e = emitted.get(0);
        assertThat(header(e, "ce_type")).isEqualTo("order.done");
        assertThat(header(e, "ce_fxcausationid")).isEqualTo(req.triggerEvent().id());
        assertThat(header(e, "ce_fxdepth")).isEqualTo("3");
        assertThat(new String(e.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":42}");

        var logs = readAll(topics.opsLogs(), 1);
        assertThat(logs)
                .map(r -> Codecs.OPS_LOG.decode(r.value()))
                .anyMatch(
                        l ->
                                l.executionId().equals(req.executionId())
                                        && l.step().equals("a.py")
                                        && l.message().equals("step a sees 41"));

        // the same request again (a router replay) is recognised and not run a second time
        send(req);
        try (Connection c = db.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT status, attempt FROM executor_completed_executions"
                                                + " WHERE execution_id = '"
                                                + req.executionId()
                                                + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> app.inFlightForTests() == 0 && app.duplicatesForTests() >= 1);
        assertThat(
                        readAll(topics.events(), 1).stream()
                                .filter(
                                        r ->
                                                req.executionId()
                                                        .equals(header(r, "ce_fxexecutionid")))
                                .count())
                .isEqualTo(1);
    }

    @Test
    void aFailingServiceIsRetriedThenDeadAndDeadLettered() throws Exception {
        PackageRef ref =
                upload(
                        Map.of(
                                "manifest.json",
                                "{\"name\": \"exits\"}",
                                "main.py",
                                "import sys\nsys.exit(3)\n"));
        ExecutionRequest req = request("exits", ref, 1, "{}");
        send(req);
        List<ExecutionLifecycleRecord> states = lifecycle(req.executionId(), ExecutionStatus.DEAD);
        assertThat(states)
                .filteredOn(s -> s.status() == ExecutionStatus.FAILED)
                .extracting(ExecutionLifecycleRecord::attempt)
                .containsExactlyInAnyOrder(1, 2);
        assertThat(states).anyMatch(s -> s.status() == ExecutionStatus.RETRYING);
        assertThat(states)
                .filteredOn(s -> s.status() == ExecutionStatus.DEAD)
                .singleElement()
                .satisfies(s -> assertThat(s.error()).contains("sys.exit(3)"));
        assertThat(readAll(topics.deadLetter(), 1))
                .map(r -> Codecs.DEAD_LETTER.decode(r.value()))
                .anyMatch(
                        d ->
                                d.reason().contains(req.executionId())
                                        && d.reason().contains("sys.exit(3)"));
    }

    @Test
    void aHostilePackageEndsInAClearDeadExecution() throws Exception {
        PackageRef ref =
                upload(
                        Map.of(
                                "manifest.json",
                                "{\"name\": \"evil\"}",
                                "../../escape.py",
                                "print(1)\n"));
        ExecutionRequest req = request("evil", ref, 3, "{}");
        send(req);
        List<ExecutionLifecycleRecord> states = lifecycle(req.executionId(), ExecutionStatus.DEAD);
        // not retried: retrying cannot make a hostile package safe
        assertThat(states).noneMatch(s -> s.status() == ExecutionStatus.RETRYING);
        assertThat(states)
                .filteredOn(s -> s.status() == ExecutionStatus.DEAD)
                .singleElement()
                .satisfies(s -> assertThat(s.error()).contains("zip slip"));
    }
}
