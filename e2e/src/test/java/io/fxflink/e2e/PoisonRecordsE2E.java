package io.fxflink.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.cli.FxCliRunner;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.e2e.chain.ChainPackages;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.testsupport.RealServers;
import io.fxflink.testsupport.TopicToEnd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No single record stops the platform (issue 19): the running platform gets hostile records on
 * every topic a job or the executor reads — NUL and control characters in every attribute, invalid
 * UTF-8, oversize values, broken JSON, out-of-range times and depths. Each is dead-lettered by the
 * component that read it (free text from services is kept, with NUL replaced), both Flink jobs stay
 * RUNNING without a failure, and an ordinary event is routed and executed afterwards.
 */
class PoisonRecordsE2E {
    @RegisterExtension static final RealServers SERVERS = RealServers.all();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final LocalPlatform.Options PORTS =
            new LocalPlatform.Options(18380, 18381, 18390, 19993, List.of(), Map.of());

    private static LocalPlatform platform;
    private static FxCliRunner fx;
    private static TopicNames topics;

    @BeforeAll
    static void up() throws Exception {
        RealServers.PgDatabase db = SERVERS.newDatabase("poison");
        platform = LocalPlatform.start(SERVERS.endpoints(), db.url(), PORTS);
        fx = new FxCliRunner(platform.cliEnv(), ProjectRoot.find());
        topics = TopicNames.withPrefix(platform.topicPrefix());
    }

    @AfterAll
    static void down() throws Exception {
        if (platform != null) {
            platform.stopLeavingNoProcess();
        }
    }

    @Test
    void everyPoisonRecordIsDeadLetteredAndThePlatformGoesOnRouting(@TempDir Path tmp)
            throws Exception {
        for (Path service : ChainPackages.write(tmp)) {
            FxCliRunner.Result deployed = fx.run("deploy", service.toString());
            assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        }
        // the chain works before the poison: its links are known to the router
        postEvent("before-poison");
        awaitChain("before-poison");

        Map<String, Sent> expected = new LinkedHashMap<>();
        List<String> cases = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            Poison poison = new Poison(producer, expected, cases);
            poison.events(topics.events());
            poison.links(topics.links());
            poison.executions(topics.executions());
            poison.lifecycle(topics.opsExecutions());
            poison.logs(topics.opsLogs());
            poison.metrics(topics.opsMetrics());
            // free text from services keeps its record: NUL becomes U+FFFD
            poison.storedLifecycleWithNulInError(topics.opsExecutions());
            poison.storedLogWithNulInMessage(topics.opsLogs());
        }

        await("every poison record dead-lettered by the component that read it")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(
                        () -> {
                            Map<String, DeadLetterRecord> dead = deadLettersBySource();
                            for (Map.Entry<String, Sent> e : expected.entrySet()) {
                                assertThat(dead)
                                        .as("dead letter of %s (%s)", e.getKey(), e.getValue().what)
                                        .containsKey(e.getKey());
                                assertThat(dead.get(e.getKey()).stage())
                                        .as(e.getValue().what)
                                        .isEqualTo(e.getValue().stage);
                            }
                        });

        // nothing of a service's own text is lost: the row and the log line are stored
        await("the execution whose error held a NUL, stored with U+FFFD")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () ->
                                assertThat(
                                                sql(
                                                        "select error from executions where"
                                                                + " execution_id ="
                                                                + " 'poison-err-1'"))
                                        .contains("boom\uFFFDafter"));
        await("the log line that held a NUL, searchable with U+FFFD")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () ->
                                assertThat(fx.run("logs", "poison-err-1").out())
                                        .contains("line\uFFFDafter"));

        // the jobs kept running: RUNNING, and no failure in their exception history
        String flink = "http://127.0.0.1:" + PORTS.flinkPort();
        for (JsonNode job : get(flink + "/jobs/overview").path("jobs")) {
            assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("RUNNING");
            JsonNode history =
                    get(flink + "/jobs/" + job.path("jid").asText() + "/exceptions")
                            .path("exceptionHistory")
                            .path("entries");
            assertThat(history).as("failures of job %s", job.path("name").asText()).isEmpty();
        }
        assertThat(get(flink + "/taskmanagers").path("taskmanagers")).isNotEmpty();

        // and routing goes on
        postEvent("after-poison");
        awaitChain("after-poison");

        System.out.println("POISON cases tried (each dead-lettered or stored): " + cases.size());
        cases.forEach(c -> System.out.println("POISON " + c));
    }

    /** Where a record went: "topic/partition/offset", what it was, and who must dead-letter it. */
    private record Sent(String what, DeadLetterStage stage) {}

    /** Writes the hostile records and notes where each landed and who must refuse it. */
    private record Poison(
            KafkaProducer<byte[], byte[]> producer,
            Map<String, Sent> expected,
            List<String> cases) {

        void events(String topic) throws Exception {
            Consumer<ObjectNode> none = e -> {};
            structured(topic, "id with NUL", e -> e.put("id", "x\u0000y"));
            structured(topic, "id with U+0001", e -> e.put("id", "x\u0001y"));
            structured(topic, "id with DEL", e -> e.put("id", "x\u007fy"));
            structured(
                    topic, "type with CRLF", e -> e.put("type", ChainPackages.START_TYPE + "\r\n"));
            structured(topic, "source with NUL", e -> e.put("source", "urn:a\u0000"));
            structured(topic, "subject with NUL", e -> e.put("subject", "s\u0000"));
            structured(topic, "extension with NUL", e -> e.put("tenant", "a\u0000b"));
            structured(topic, "extension with newline", e -> e.put("tenant", "a\nb"));
            structured(topic, "time in year 99999", e -> e.put("time", "+99999-01-01T00:00:00Z"));
            structured(topic, "fxdepth abc", e -> e.put("fxdepth", "abc"));
            structured(topic, "fxdepth -5", e -> e.put("fxdepth", "-5"));
            structured(
                    topic, "fxdepth of 20 digits", e -> e.put("fxdepth", "99999999999999999999"));
            structured(
                    topic,
                    "fx.platform.scheduled without fxservice",
                    e -> e.put("type", "fx.platform.scheduled"));
            structured(
                    topic,
                    "data over the 512 KiB limit",
                    e -> e.put("data", "x".repeat(600 * 1024)));
            structuredBytes(topic, "broken JSON", utf8("{\"specversion\":\"1.0\","));
            structuredBytes(topic, "JSON null", utf8("null"));
            structuredBytes(topic, "a JSON array", utf8("[1,2]"));
            byte[] invalidUtf8 = JSON.writeValueAsBytes(event(none));
            invalidUtf8[indexOf(invalidUtf8, "poison-ev")] = (byte) 0xff;
            structuredBytes(topic, "invalid UTF-8 in the id", invalidUtf8);
            binary(topic, "ce_id with a NUL byte", "ce_id", new byte[] {'a', 0, 'b'});
            binary(topic, "ce_id invalid UTF-8", "ce_id", new byte[] {(byte) 0xc3, '('});
            binary(topic, "ce_type with newline", "ce_type", utf8(ChainPackages.START_TYPE + "\n"));
            binary(topic, "ce_source empty", "ce_source", new byte[0]);
        }

        void links(String topic) throws Exception {
            raw(
                    topic,
                    "links: broken JSON",
                    DeadLetterStage.ROUTER,
                    utf8("link:poison-1"),
                    utf8("{"));
            raw(
                    topic,
                    "links: JSON null",
                    DeadLetterStage.ROUTER,
                    utf8("link:poison-2"),
                    utf8("null"));
            raw(
                    topic,
                    "links: key with NUL",
                    DeadLetterStage.ROUTER,
                    utf8("link:a\u0000b"),
                    utf8("{}"));
            raw(
                    topic,
                    "links: invalid UTF-8 value",
                    DeadLetterStage.ROUTER,
                    utf8("link:poison-3"),
                    new byte[] {'{', (byte) 0xff, '}'});
        }

        void executions(String topic) throws Exception {
            for (Map.Entry<String, byte[]> v :
                    Map.of(
                                    "broken JSON", utf8("{\"executionId\":"),
                                    "JSON null", utf8("null"),
                                    "an empty object", utf8("{}"),
                                    "invalid UTF-8", new byte[] {'{', (byte) 0xfe, '}'})
                            .entrySet()) {
                raw(
                        topic,
                        "executions: " + v.getKey(),
                        DeadLetterStage.EXECUTOR,
                        utf8("bench-relay"),
                        v.getValue());
            }
        }

        void lifecycle(String topic) throws Exception {
            ObjectNode valid =
                    (ObjectNode)
                            JSON.readTree(
                                    Codecs.EXECUTION_LIFECYCLE.encode(
                                            lifecycle("poison-ok", null)));
            for (String field :
                    List.of(
                            "recordId",
                            "executionId",
                            "service",
                            "serviceVersion",
                            "triggerEventId",
                            "triggerEventType",
                            "rootEventId",
                            "executorId")) {
                ObjectNode nul = valid.deepCopy();
                nul.put(field, "a\u0000b");
                opsRecord(topic, "lifecycle: NUL in " + field, JSON.writeValueAsBytes(nul));
                ObjectNode control = valid.deepCopy();
                control.put(field, "a\u0007b");
                opsRecord(topic, "lifecycle: U+0007 in " + field, JSON.writeValueAsBytes(control));
            }
            ObjectNode past = valid.deepCopy();
            past.put("time", "-999999999-01-01T00:00:00Z");
            opsRecord(topic, "lifecycle: time -999999999", JSON.writeValueAsBytes(past));
            ObjectNode attempt = valid.deepCopy();
            attempt.put("attempt", Long.MAX_VALUE);
            opsRecord(topic, "lifecycle: attempt 2^63-1", JSON.writeValueAsBytes(attempt));
            ObjectNode longError = valid.deepCopy();
            longError.put("error", "e".repeat(ExecutionLifecycleRecord.MAX_ERROR_CHARS + 1));
            opsRecord(topic, "lifecycle: error over its limit", JSON.writeValueAsBytes(longError));
            opsRecord(topic, "lifecycle: broken JSON", utf8("{\"recordId\":"));
            opsRecord(topic, "lifecycle: JSON null", utf8("null"));
            opsRecord(topic, "lifecycle: invalid UTF-8", new byte[] {'{', (byte) 0xff, '}'});
        }

        void logs(String topic) throws Exception {
            ObjectNode valid =
                    (ObjectNode) JSON.readTree(Codecs.OPS_LOG.encode(log("poison-log-ok", "ok")));
            for (String field : List.of("recordId", "executionId", "service", "step")) {
                ObjectNode nul = valid.deepCopy();
                nul.put(field, "a\u0000b");
                opsRecord(topic, "log: NUL in " + field, JSON.writeValueAsBytes(nul));
            }
            ObjectNode level = valid.deepCopy();
            level.put("level", "SHOUT");
            opsRecord(topic, "log: unknown level", JSON.writeValueAsBytes(level));
            ObjectNode future = valid.deepCopy();
            future.put("time", "+1000000-01-01T00:00:00Z");
            opsRecord(topic, "log: time in year 1000000", JSON.writeValueAsBytes(future));
            opsRecord(topic, "log: broken JSON", utf8("[{"));
        }

        void metrics(String topic) throws Exception {
            ObjectNode valid =
                    (ObjectNode)
                            JSON.readTree(
                                    Codecs.METRIC.encode(
                                            new MetricRecord(
                                                    "poison.metric",
                                                    Map.of("service", "bench-relay"),
                                                    1.0,
                                                    Instant.now())));
            ObjectNode name = valid.deepCopy();
            name.put("name", "a\u0000b");
            opsRecord(topic, "metric: NUL in name", JSON.writeValueAsBytes(name));
            ObjectNode tag = valid.deepCopy();
            tag.putObject("tags").put("service", "a\u0000b");
            opsRecord(topic, "metric: NUL in a tag", JSON.writeValueAsBytes(tag));
            ObjectNode nan = valid.deepCopy();
            nan.put("value", "NaN");
            opsRecord(topic, "metric: NaN", JSON.writeValueAsBytes(nan));
            opsRecord(topic, "metric: JSON null", utf8("null"));
        }

        void storedLifecycleWithNulInError(String topic) throws Exception {
            ObjectNode r =
                    (ObjectNode)
                            JSON.readTree(
                                    Codecs.EXECUTION_LIFECYCLE.encode(
                                            lifecycle("poison-err-1", "placeholder")));
            r.put("error", "boom\u0000after");
            send(topic, utf8("poison-err-1"), JSON.writeValueAsBytes(r), new RecordHeaders());
            cases.add("lifecycle: NUL in error → stored with U+FFFD");
        }

        void storedLogWithNulInMessage(String topic) throws Exception {
            // a line of the execution stored above: logs are read through their execution
            ObjectNode r =
                    (ObjectNode) JSON.readTree(Codecs.OPS_LOG.encode(log("poison-err-1", "x")));
            r.put("message", "line\u0000after");
            send(topic, utf8("poison-err-1"), JSON.writeValueAsBytes(r), new RecordHeaders());
            cases.add("log: NUL in message → stored with U+FFFD");
        }

        private void opsRecord(String topic, String what, byte[] value) throws Exception {
            raw(topic, what, DeadLetterStage.OPS_SINK, utf8("poison"), value);
        }

        private void structured(String topic, String what, Consumer<ObjectNode> change)
                throws Exception {
            structuredBytes(topic, what, JSON.writeValueAsBytes(event(change)));
        }

        private void structuredBytes(String topic, String what, byte[] value) throws Exception {
            RecordHeaders h = new RecordHeaders();
            h.add("content-type", utf8("application/cloudevents+json"));
            expect(send(topic, null, value, h), "events: " + what, DeadLetterStage.ROUTER);
        }

        private void binary(String topic, String what, String header, byte[] value)
                throws Exception {
            RecordHeaders h = new RecordHeaders();
            Map<String, byte[]> ce = new LinkedHashMap<>();
            ce.put("ce_specversion", utf8("1.0"));
            ce.put("ce_id", utf8("poison-bin"));
            ce.put("ce_source", utf8("urn:fx:poison"));
            ce.put("ce_type", utf8(ChainPackages.START_TYPE));
            ce.put(header, value);
            ce.forEach(h::add);
            h.add("content-type", utf8("application/json"));
            expect(send(topic, null, utf8("{}"), h), "events: " + what, DeadLetterStage.ROUTER);
        }

        private void raw(String topic, String what, DeadLetterStage stage, byte[] key, byte[] value)
                throws Exception {
            expect(send(topic, key, value, new RecordHeaders()), what, stage);
        }

        private void expect(RecordMetadata m, String what, DeadLetterStage stage) {
            expected.put(m.topic() + "/" + m.partition() + "/" + m.offset(), new Sent(what, stage));
            cases.add(what + " → dead letter (" + stage + ")");
        }

        private RecordMetadata send(String topic, byte[] key, byte[] value, RecordHeaders h)
                throws Exception {
            return producer.send(new ProducerRecord<>(topic, null, key, value, h))
                    .get(30, TimeUnit.SECONDS);
        }

        private ObjectNode event(Consumer<ObjectNode> change) {
            // ids of their own: a repeated (source, id) is a duplicate the platform absorbs
            String id = "poison-ev-" + cases.size();
            ObjectNode e = JSON.createObjectNode();
            e.put("specversion", "1.0");
            e.put("id", id);
            e.put("source", "urn:fx:poison");
            e.put("type", ChainPackages.START_TYPE);
            e.put("datacontenttype", "application/json");
            e.putObject("data").put("id", id);
            change.accept(e);
            return e;
        }

        private static ExecutionLifecycleRecord lifecycle(String executionId, String error) {
            return new ExecutionLifecycleRecord(
                    executionId + "-1",
                    executionId,
                    "bench-relay",
                    "1.0.0",
                    error == null ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED,
                    1,
                    1,
                    Instant.now(),
                    5L,
                    "poison-trigger",
                    ChainPackages.START_TYPE,
                    null,
                    "poison-trigger",
                    0,
                    error,
                    "poison-executor");
        }

        private static OpsLogRecord log(String executionId, String message) {
            return OpsLogRecord.of(
                    executionId,
                    "bench-relay",
                    "1.0.0",
                    1,
                    1,
                    "main",
                    LogLevel.INFO,
                    Instant.now(),
                    message);
        }

        private static int indexOf(byte[] haystack, String needle) {
            byte[] n = utf8(needle);
            outer:
            for (int i = 0; i + n.length <= haystack.length; i++) {
                for (int j = 0; j < n.length; j++) {
                    if (haystack[i + j] != n[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            throw new IllegalArgumentException(needle + " not found");
        }
    }

    /** Every dead letter on the topic up to its current end, by "topic/partition/offset". */
    private static Map<String, DeadLetterRecord> deadLettersBySource() {
        Map<String, DeadLetterRecord> out = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicToEnd.read(SERVERS.kafkaBootstrap(), topics.deadLetter())) {
            DeadLetterRecord d = Codecs.DEAD_LETTER.decode(r.value());
            out.put(d.sourceTopic() + "/" + d.partition() + "/" + d.offset(), d);
        }
        return out;
    }

    private static void postEvent(String id) throws Exception {
        Map<String, String> cli = platform.cliEnv();
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", "urn:fx:poison-test");
        e.put("type", ChainPackages.START_TYPE);
        e.put("datacontenttype", "application/json");
        e.putObject("data").put("id", id);
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(cli.get("FX_URL") + "/api/v1/events"))
                                .header("Authorization", "Bearer " + cli.get("FX_TOKEN"))
                                .header("Content-Type", "application/cloudevents+json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(e.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static void awaitChain(String rootEventId) {
        await("the chain of " + rootEventId)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            Set<String> done = new HashSet<>();
                            for (JsonNode row :
                                    JSON.readTree(
                                            sqlJson(
                                                    "select service from executions where"
                                                            + " status = 'SUCCEEDED' and"
                                                            + " root_event_id = '"
                                                            + rootEventId
                                                            + "'"))) {
                                done.add(row.elements().next().asText());
                            }
                            assertThat(done).contains(ChainPackages.RELAY, ChainPackages.END);
                        });
    }

    private static String sql(String query) throws Exception {
        return sqlJson(query);
    }

    private static String sqlJson(String query) throws Exception {
        FxCliRunner.Result r = fx.run("--output", "json", "sql", query);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.out();
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

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
