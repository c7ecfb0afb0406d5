package io.fxflink.opssink.bench;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.opssink.OpsSinkConfig;
import io.fxflink.opssink.OpsSinkConnectors;
import io.fxflink.opssink.elasticsearch.ElasticsearchConnection;
import io.fxflink.opssink.elasticsearch.EsDocument;
import io.fxflink.opssink.elasticsearch.IndexTemplates;
import io.fxflink.opssink.elasticsearch.OpsDocuments;
import io.fxflink.opssink.elasticsearch.OpsIndices;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.RestClient;

/**
 * Log records per second into Elasticsearch: the ops sink job (Kafka → Flink local cluster,
 * parallelism 2 → Elasticsearch sink) side by side with a plain bulk loader using the same client,
 * the same documents, batch size and total concurrency against the same server, in the same run.
 * Both rates are measured the same way: from the first to the last document indexed, as seen by the
 * index's indexing statistics.
 *
 * <pre>
 * ./mvnw -q -pl ops-sink-job test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.fxflink.opssink.bench.OpsSinkBench [-Dexec.args=--smoke]
 * </pre>
 */
public final class OpsSinkBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int BATCH = 1000;
    private static final int PARALLELISM = 2;
    private static final int IN_FLIGHT_PER_SUBTASK = 2;

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        int n = smoke ? 20_000 : 300_000;
        RealServers servers =
                RealServers.of(ServerKind.KAFKA, ServerKind.ELASTICSEARCH, ServerKind.POSTGRES);
        String esUrl = servers.elasticsearchUrl();
        String run = RealServers.uniqueName("bench");
        TopicNames topics = TopicNames.withPrefix(run + ".");
        servers.kafkaAdmin()
                .createTopics(
                        List.of(
                                new NewTopic(topics.opsLogs(), PARALLELISM, (short) 1),
                                new NewTopic(topics.opsExecutions(), PARALLELISM, (short) 1),
                                new NewTopic(topics.opsMetrics(), 1, (short) 1),
                                new NewTopic(topics.deadLetter(), 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        RealServers.PgDatabase db = servers.newDatabase("bench");
        String plainPrefix = run + "-plain-";
        String jobPrefix = run + "-job-";
        try {
            List<OpsLogRecord> records = records(n);
            produce(servers.kafkaBootstrap(), topics, records);
            System.out.printf(
                    "%d log records (~%d bytes per document) in Kafka%n",
                    n,
                    OpsDocuments.log(new OpsIndices(""), records.get(0), "t", 0, 0).source.length);

            ElasticsearchConnection connection =
                    ElasticsearchConnection.builder().url(esUrl).build();
            IndexTemplates.install(connection, new OpsIndices(plainPrefix), 1, 0);
            double plain = plainLoader(connection, esUrl, plainPrefix, records);
            System.out.printf(
                    "plain bulk loader: %,.0f docs/s (batch %d, %d requests in flight)%n",
                    plain, BATCH, PARALLELISM * IN_FLIGHT_PER_SUBTASK);

            double job = job(servers, esUrl, topics, db, jobPrefix, n);
            System.out.printf(
                    "ops sink job:      %,.0f docs/s (parallelism %d, %d in flight per subtask)%n",
                    job, PARALLELISM, IN_FLIGHT_PER_SUBTASK);
            System.out.printf("job / plain = %.0f%% (target >= 70%%)%n", 100 * job / plain);
            // one machine-readable line for bench/run
            System.out.printf(
                    java.util.Locale.ROOT,
                    "BENCH-JSON {\"ops_sink_docs_per_s\": %.1f, \"ops_bulk_docs_per_s\": %.1f,"
                            + " \"ops_sink_vs_bulk\": %.3f, \"ops_records\": %d}%n",
                    job,
                    plain,
                    job / plain,
                    n);
        } finally {
            delete(esUrl, "/" + run + "*");
            for (String p : List.of(plainPrefix, jobPrefix)) {
                for (String kind : List.of("fx-logs", "fx-executions", "fx-metrics")) {
                    delete(esUrl, "/_index_template/" + p + kind);
                }
            }
            servers.kafkaAdmin()
                    .deleteTopics(topics.all().subList(3, 7))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            servers.kafkaAdmin().close();
            try (var c = servers.postgres().connect()) {
                c.createStatement()
                        .execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
            }
        }
    }

    private static List<OpsLogRecord> records(int n) {
        List<OpsLogRecord> out = new ArrayList<>(n);
        Instant base = Instant.parse("2024-05-01T10:00:00Z");
        for (int i = 0; i < n; i++) {
            out.add(
                    OpsLogRecord.of(
                            "exec-" + (i / 50),
                            "bench-service",
                            "1.0.0",
                            1,
                            i % 50,
                            "main.py",
                            LogLevel.INFO,
                            base.plusMillis(i),
                            "processed batch "
                                    + i
                                    + " of the nightly import: 250 rows, 0 rejected,"
                                    + " upstream latency 12 ms"));
        }
        return out;
    }

    private static void produce(String bootstrap, TopicNames topics, List<OpsLogRecord> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (OpsLogRecord r : records) {
                producer.send(
                        new ProducerRecord<>(
                                topics.opsLogs(),
                                r.executionId().getBytes(),
                                Codecs.OPS_LOG.encode(r)));
            }
        }
    }

    /** Bulk-indexes the same documents with the same client, batch size and concurrency. */
    private static double plainLoader(
            ElasticsearchConnection connection,
            String esUrl,
            String prefix,
            List<OpsLogRecord> records)
            throws Exception {
        OpsIndices indices = new OpsIndices(prefix);
        List<EsDocument> docs = new ArrayList<>(records.size());
        for (OpsLogRecord r : records) {
            docs.add(OpsDocuments.log(indices, r, "t", 0, 0));
        }
        IndexingWatch watch = IndexingWatch.start(esUrl, prefix + "*", records.size());
        try (RestClient rest = connection.restClient()) {
            ElasticsearchAsyncClient client =
                    new ElasticsearchAsyncClient(
                            new RestClientTransport(rest, new JacksonJsonpMapper()));
            Semaphore inFlight = new Semaphore(PARALLELISM * IN_FLIGHT_PER_SUBTASK);
            List<CompletableFuture<BulkResponse>> all = new ArrayList<>();
            for (int from = 0; from < docs.size(); from += BATCH) {
                BulkRequest.Builder b = new BulkRequest.Builder();
                for (EsDocument d : docs.subList(from, Math.min(from + BATCH, docs.size()))) {
                    BinaryData source = BinaryData.of(d.source, ContentType.APPLICATION_JSON);
                    b.operations(op -> op.index(i -> i.index(d.index).id(d.id).document(source)));
                }
                inFlight.acquire();
                CompletableFuture<BulkResponse> f = client.bulk(b.build());
                f.whenComplete((r, e) -> inFlight.release());
                all.add(f);
            }
            for (CompletableFuture<BulkResponse> f : all) {
                if (f.get().errors()) {
                    throw new IllegalStateException("plain loader: bulk items failed");
                }
            }
        }
        return watch.awaitRate();
    }

    private static double job(
            RealServers servers,
            String esUrl,
            TopicNames topics,
            RealServers.PgDatabase db,
            String prefix,
            int n)
            throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap", servers.kafkaBootstrap());
        s.put("kafka.group-id", prefix + "group");
        s.put("kafka.topic-prefix", topics.opsLogs().substring(0, topics.opsLogs().indexOf("fx.")));
        s.put("kafka.bounded", "true");
        s.put("es.url", esUrl);
        s.put("es.index-prefix", prefix);
        s.put("es.index.replicas", "0");
        s.put("es.bulk.max-documents", String.valueOf(BATCH));
        s.put("es.bulk.max-in-flight", String.valueOf(IN_FLIGHT_PER_SUBTASK));
        s.put("pg.url", db.url());
        s.put("pg.user", db.user());
        s.put("pg.password", db.password());
        OpsSinkConfig config = OpsSinkConfig.of(s);
        OpsSinkConnectors.prepareStores(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(5_000);
        OpsSinkConnectors.fromConfig(config).build(env);
        IndexingWatch watch = IndexingWatch.start(esUrl, prefix + "*", n);
        env.execute("ops-sink-bench");
        return watch.awaitRate();
    }

    /** Polls an index pattern's indexing counter: time from the first to the n-th document. */
    private static final class IndexingWatch {
        private final Thread thread;
        private volatile long first = -1;
        private volatile long done = -1;

        private IndexingWatch(String esUrl, String pattern, long n) {
            thread =
                    new Thread(
                            () -> {
                                try {
                                    while (done < 0) {
                                        long count = indexed(esUrl, pattern);
                                        long now = System.nanoTime();
                                        if (count > 0 && first < 0) {
                                            first = now;
                                        }
                                        if (count >= n) {
                                            done = now;
                                        }
                                        TimeUnit.MILLISECONDS.sleep(20); // polling period
                                    }
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            "bench-watch");
            thread.setDaemon(true);
        }

        static IndexingWatch start(String esUrl, String pattern, long n) {
            IndexingWatch w = new IndexingWatch(esUrl, pattern, n);
            w.thread.start();
            w.n = n;
            return w;
        }

        private long n;

        double awaitRate() throws InterruptedException {
            thread.join(TimeUnit.MINUTES.toMillis(10));
            if (done < 0) {
                throw new IllegalStateException("not all documents were indexed in 10 minutes");
            }
            return n / ((done - first) / 1e9);
        }

        private static long indexed(String esUrl, String pattern) throws Exception {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    esUrl
                                                            + "/"
                                                            + pattern
                                                            + "/_stats/indexing?allow_no_indices=true"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).at("/_all/primaries/indexing/index_total").asLong(0);
        }
    }

    private static void delete(String esUrl, String path) throws Exception {
        HTTP.send(
                HttpRequest.newBuilder(URI.create(esUrl + path)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
