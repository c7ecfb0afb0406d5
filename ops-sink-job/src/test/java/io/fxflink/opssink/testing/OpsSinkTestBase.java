package io.fxflink.opssink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Real servers plus helpers for ops sink tests: a private set of ops topics, a database, an index
 * prefix, producing records, and reading back documents, rows and dead letters.
 */
public abstract class OpsSinkTestBase {
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    protected static RealServers servers() {
        return RealServers.of(ServerKind.KAFKA, ServerKind.ELASTICSEARCH, ServerKind.POSTGRES);
    }

    /** Creates the ops topics under a unique prefix (deleted by {@link #deleteTopics}). */
    protected static TopicNames createTopics(RealServers servers) throws Exception {
        TopicNames names = TopicNames.withPrefix(RealServers.uniqueName("ops") + ".");
        servers.kafkaAdmin()
                .createTopics(
                        List.of(
                                new NewTopic(names.opsLogs(), 2, (short) 1),
                                new NewTopic(names.opsExecutions(), 4, (short) 1),
                                new NewTopic(names.opsMetrics(), 1, (short) 1),
                                new NewTopic(names.deadLetter(), 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        return names;
    }

    protected static void deleteTopics(RealServers servers, TopicNames names) throws Exception {
        servers.kafkaAdmin()
                .deleteTopics(
                        List.of(
                                names.opsLogs(),
                                names.opsExecutions(),
                                names.opsMetrics(),
                                names.deadLetter()))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    /** Job settings pointing at the test's topics, database and indices. */
    protected static Map<String, String> settings(
            RealServers servers,
            TopicNames topics,
            RealServers.PgDatabase db,
            String indexPrefix,
            boolean bounded) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap", servers.kafkaBootstrap());
        s.put("kafka.group-id", "ops-it-" + UUID.randomUUID());
        s.put("kafka.topic-prefix", topics.opsLogs().substring(0, topics.opsLogs().indexOf("fx.")));
        s.put("kafka.bounded", String.valueOf(bounded));
        s.put("es.url", servers.elasticsearchUrl());
        s.put("es.index-prefix", indexPrefix);
        s.put("es.index.replicas", "0");
        s.put("es.bulk.max-documents", "200");
        s.put("es.bulk.flush-interval-ms", "200");
        s.put("es.retry.initial-ms", "50");
        s.put("es.retry.max-ms", "500");
        s.put("pg.url", db.url());
        s.put("pg.user", db.user());
        s.put("pg.password", db.password());
        s.put("pg.batch-size", "100");
        s.put("pg.batch-interval-ms", "100");
        s.put("rollup.out-of-orderness-ms", "5000");
        // the fixtures are shuffled over minutes: keep every outcome in its window
        s.put("rollup.allowed-lateness-ms", "3600000");
        s.put("source.idleness-ms", "1000");
        return s;
    }

    protected static KafkaProducer<byte[], byte[]> producer(RealServers servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    protected static void sendLifecycle(
            KafkaProducer<byte[], byte[]> p, TopicNames t, List<ExecutionLifecycleRecord> rs) {
        for (ExecutionLifecycleRecord r : rs) {
            p.send(
                    new ProducerRecord<>(
                            t.opsExecutions(),
                            bytes(r.executionId()),
                            Codecs.EXECUTION_LIFECYCLE.encode(r)));
        }
        p.flush();
    }

    protected static void sendLogs(
            KafkaProducer<byte[], byte[]> p, TopicNames t, List<OpsLogRecord> rs) {
        for (OpsLogRecord r : rs) {
            p.send(
                    new ProducerRecord<>(
                            t.opsLogs(), bytes(r.executionId()), Codecs.OPS_LOG.encode(r)));
        }
        p.flush();
    }

    protected static void sendMetrics(
            KafkaProducer<byte[], byte[]> p, TopicNames t, List<MetricRecord> rs) {
        for (MetricRecord r : rs) {
            p.send(new ProducerRecord<>(t.opsMetrics(), bytes(r.name()), Codecs.METRIC.encode(r)));
        }
        p.flush();
    }

    protected static void sendRaw(
            KafkaProducer<byte[], byte[]> p, String topic, Integer partition, byte[] value) {
        p.send(new ProducerRecord<>(topic, partition, bytes("raw"), value));
        p.flush();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every dead letter in the topic at the moment of the call: each partition is read from its
     * beginning up to the end offset taken first (a negative check sees everything written before
     * it, however slowly the broker serves it).
     */
    protected static List<DeadLetterRecord> deadLetters(RealServers servers, String topic) {
        return io.fxflink.testsupport.TopicToEnd.read(servers.kafkaBootstrap(), topic).stream()
                .map(r -> Codecs.DEAD_LETTER.decode(r.value()))
                .toList();
    }

    // ---- Elasticsearch ---------------------------------------------------------------------

    protected static JsonNode es(RealServers servers, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(servers.elasticsearchUrl() + path))
                        .header("Content-Type", "application/json");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static int esStatus(RealServers servers, String path) throws Exception {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create(servers.elasticsearchUrl() + path)).GET().build();
        return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Documents in the indices matching {@code pattern}, after a refresh. */
    protected static long esCount(RealServers servers, String pattern) throws Exception {
        // An index the sink creates between the health check and the count answers 503 until its
        // shard is allocated; Elasticsearch's own wait API then blocks until it is, and we count
        // again. Three rounds cover an index created in each gap.
        for (int round = 1; ; round++) {
            if (esStatus(
                            servers,
                            "/_cluster/health/" + pattern + "?wait_for_status=yellow&timeout=30s")
                    != 200) {
                return 0;
            }
            try {
                es(
                        servers,
                        "POST",
                        "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true",
                        null);
                return es(
                                servers,
                                "GET",
                                "/"
                                        + pattern
                                        + "/_count?ignore_unavailable=true&allow_no_indices=true",
                                null)
                        .get("count")
                        .asLong();
            } catch (IllegalStateException shardNotYetAllocated) {
                if (round == 3 || !shardNotYetAllocated.getMessage().contains(" -> 503 ")) {
                    throw shardNotYetAllocated;
                }
            }
        }
    }

    /** Every document id in the indices matching {@code pattern} (small data sets). */
    protected static List<String> esIds(RealServers servers, String pattern) throws Exception {
        es(servers, "POST", "/" + pattern + "/_refresh", null);
        JsonNode hits =
                es(
                                servers,
                                "GET",
                                "/" + pattern + "/_search",
                                "{\"size\":10000,\"_source\":false,\"sort\":[\"_doc\"]}")
                        .at("/hits/hits");
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.get("_id").asText()));
        return ids;
    }

    protected static void deleteTemplates(RealServers servers, String indexPrefix)
            throws Exception {
        for (String kind : List.of("fx-logs", "fx-executions", "fx-metrics")) {
            HttpRequest req =
                    HttpRequest.newBuilder(
                                    URI.create(
                                            servers.elasticsearchUrl()
                                                    + "/_index_template/"
                                                    + indexPrefix
                                                    + kind))
                            .DELETE()
                            .build();
            HTTP.send(req, HttpResponse.BodyHandlers.discarding());
        }
    }
}
