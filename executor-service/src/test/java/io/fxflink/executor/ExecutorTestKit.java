package io.fxflink.executor;

import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.testsupport.RealServers;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

/**
 * Real-server plumbing for executor ITCases: unique topics, database and package bucket, the
 * executor's environment, package upload (zip by content hash), requests and topic readers.
 */
public final class ExecutorTestKit implements AutoCloseable {
    final RealServers servers;
    final String prefix;
    final TopicNames topics;
    final RealServers.PgDatabase db;
    final String bucket;
    final MinioClient minio;
    final KafkaProducer<byte[], byte[]> producer;

    ExecutorTestKit(RealServers servers) throws Exception {
        this.servers = servers;
        this.prefix = RealServers.uniqueName("ex") + ".";
        this.topics = TopicNames.withPrefix(prefix);
        this.db = servers.newDatabase("executor");
        this.bucket = servers.newBucketName("pkgs");
        this.minio =
                MinioClient.builder()
                        .endpoint(servers.s3Endpoint())
                        .credentials(servers.s3AccessKey(), servers.s3SecretKey())
                        .build();
        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        Properties p = new Properties();
        p.put("bootstrap.servers", servers.kafkaBootstrap());
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The executor's environment for these servers, topics, database and bucket. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("FX_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
        env.put("FX_TOPIC_PREFIX", prefix);
        env.put("FX_EXECUTOR_GROUP", prefix + "executor");
        env.put("FX_S3_ENDPOINT", servers.s3Endpoint());
        env.put("FX_S3_ACCESS_KEY", servers.s3AccessKey());
        env.put("FX_S3_SECRET_KEY", servers.s3SecretKey());
        env.put("FX_PACKAGE_BUCKET", bucket);
        env.put("FX_PG_URL", db.url());
        env.put("FX_PG_USER", db.user());
        env.put("FX_PG_PASSWORD", db.password());
        env.put("FX_PYTHON_WORKERS", "2");
        env.put("FX_JVM_THREADS", "2");
        env.put("FX_EXECUTOR_HEALTH_PORT", "0");
        return env;
    }

    /** Zips the files (name → bytes) and stores the zip under packages/<sha256>.zip. */
    PackageRef upload(Map<String, byte[]> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
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

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ExecutionRequest request(
            String service, ServiceRuntime runtime, PackageRef ref, int retries, String data) {
        TriggerEvent trigger =
                new TriggerEvent(
                        UUID.randomUUID().toString(),
                        "urn:test",
                        "order.created",
                        null,
                        null,
                        "application/json",
                        null,
                        utf8(data),
                        Map.of());
        Instant now = Instant.now();
        return new ExecutionRequest(
                UUID.randomUUID().toString().replace("-", ""),
                "link-1",
                service,
                "1.0.0",
                ref,
                runtime,
                trigger,
                1,
                now.plusSeconds(60),
                2,
                null,
                5,
                60_000,
                retries,
                50,
                now);
    }

    void send(ExecutionRequest r) throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topics.executions(),
                                utf8(r.service()),
                                Codecs.EXECUTION_REQUEST.encode(r)))
                .get();
    }

    /** Every record of the topic so far (at least {@code atLeast}, waiting up to 60 s). */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        return readAll(servers.kafkaBootstrap(), topic, atLeast);
    }

    /** The same for tests that do not need a whole kit (other packages). */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrap, String topic, int atLeast) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
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

    /**
     * Every record the topic holds at this moment: each partition read from its beginning to the
     * end offset taken now. For negative checks ("not run again", "no second dead letter"), which
     * must not stop after some number of records or empty polls.
     */
    List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        return readToEnd(servers.kafkaBootstrap(), topic);
    }

    /** The same for tests that do not need a whole kit (other packages). */
    public static List<ConsumerRecord<byte[], byte[]>> readToEnd(String bootstrap, String topic) {
        return io.fxflink.testsupport.TopicToEnd.read(bootstrap, topic);
    }

    /** The lifecycle records of one execution, once one with status {@code last} arrived. */
    List<ExecutionLifecycleRecord> lifecycle(String executionId, ExecutionStatus last) {
        List<ExecutionLifecycleRecord> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> {
                            found.clear();
                            for (var r : readToEnd(topics.opsExecutions())) {
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

    @Override
    public void close() throws Exception {
        producer.close();
        minio.close();
    }
}
