package io.fxflink.opssink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.ops.OpsRecordIds;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.opssink.testing.CuttableTcpProxy;
import io.fxflink.opssink.testing.OpsFixtures;
import io.fxflink.opssink.testing.OpsSinkTestBase;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures while the job runs: a crash mid-stream restored from the latest checkpoint, and an
 * Elasticsearch outage. In both cases the final documents and rows are exactly those of an
 * uninterrupted run: nothing lost, nothing duplicated.
 */
class OpsSinkRecoveryITCase extends OpsSinkTestBase {
    @RegisterExtension static final RealServers SERVERS = servers();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final List<TopicNames> TOPICS = new ArrayList<>();
    private static final List<String> PREFIXES = new ArrayList<>();

    @AfterAll
    static void cleanUp() throws Exception {
        for (TopicNames t : TOPICS) {
            deleteTopics(SERVERS, t);
        }
        for (String p : PREFIXES) {
            deleteTemplates(SERVERS, p);
        }
    }

    @Test
    void restoringFromTheLatestCheckpointMidStreamEndsInTheSameDocumentsAndRows(
            @TempDir Path checkpoints, @InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        TopicNames topics = createTopics(SERVERS);
        TOPICS.add(topics);
        RealServers.PgDatabase db = SERVERS.newDatabase("opsfail");
        String prefix = SERVERS.newIndexPrefix("opsfail") + "-";
        PREFIXES.add(prefix);
        OpsFixtures data = OpsFixtures.generate(30, 21);
        List<ExecutionLifecycleRecord> lifecycle = data.shuffledLifecycle(5);
        int half = lifecycle.size() / 2;
        Map<String, String> settings = settings(SERVERS, topics, db, prefix, false);
        OpsSinkConfig config = OpsSinkConfig.of(settings);

        try (KafkaProducer<byte[], byte[]> p = producer(SERVERS)) {
            // run A: the first half, until it is in Elasticsearch and covered by a checkpoint
            sendLifecycle(p, topics, lifecycle.subList(0, half));
            JobClient a = OpsSinkJob.start(env(checkpoints, null), config);
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> esCount(SERVERS, prefix + "fx-executions-*") == half);
            int seen = latestCheckpoint(checkpoints).map(CheckpointDir::number).orElse(0);
            await().atMost(Duration.ofMinutes(3))
                    .until(
                            () ->
                                    latestCheckpoint(checkpoints)
                                                    .map(CheckpointDir::number)
                                                    .orElse(0)
                                            > seen);

            // the second half arrives; A dies while it is working on it
            sendLifecycle(p, topics, lifecycle.subList(half, lifecycle.size()));
            sendLogs(p, topics, data.logs);
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> esCount(SERVERS, prefix + "fx-executions-*") > half);
            a.cancel().get();
            Path restoreFrom = latestCheckpoint(checkpoints).orElseThrow().path();

            // more records while no job runs, then a record per partition moves event time on
            sendMetrics(p, topics, data.metrics);
            List<ExecutionLifecycleRecord> flush = flushRecords(p, topics);

            // run B restores A's checkpoint and must end in the uninterrupted result
            JobClient b = OpsSinkJob.start(env(checkpoints, restoreFrom), config);
            List<String> expectedIds =
                    Stream.concat(lifecycle.stream(), flush.stream())
                            .map(ExecutionLifecycleRecord::recordId)
                            .toList();
            List<String> expectedRollups = data.expectedRollups();
            await().atMost(Duration.ofMinutes(3))
                    .until(
                            () ->
                                    esCount(SERVERS, prefix + "fx-executions-*")
                                                    >= expectedIds.size()
                                            && esCount(SERVERS, prefix + "fx-logs-*")
                                                    >= data.logs.size()
                                            && esCount(SERVERS, prefix + "fx-metrics-*")
                                                    >= data.metrics.size()
                                            && rowCount(db, "executions")
                                                    >= data.latestByExecution().size()
                                                            + flush.size()
                                            && OpsSinkJobITCase.rollupRows(db)
                                                    .equals(expectedRollups));
            assertThat(restoredCheckpoint(cluster, b)).isNotNull();
            b.cancel().get();

            assertThat(esIds(SERVERS, prefix + "fx-executions-*"))
                    .containsExactlyInAnyOrderElementsOf(expectedIds);
            assertThat(esIds(SERVERS, prefix + "fx-logs-*"))
                    .containsExactlyInAnyOrderElementsOf(
                            data.logs.stream().map(OpsLogRecord::recordId).toList());
            assertThat(esCount(SERVERS, prefix + "fx-metrics-*")).isEqualTo(data.metrics.size());
            assertThat(OpsSinkJobITCase.rollupRows(db)).containsExactlyElementsOf(expectedRollups);
            Map<String, ExecutionLifecycleRecord> latest = data.latestByExecution();
            flush.forEach(f -> latest.put(f.executionId(), f));
            assertThat(executionStates(db))
                    .containsExactlyInAnyOrderElementsOf(
                            latest.values().stream()
                                    .map(
                                            r ->
                                                    r.executionId()
                                                            + "|"
                                                            + r.sequence()
                                                            + "|"
                                                            + r.status())
                                    .toList());
        }
    }

    @Test
    void anElasticsearchOutageStallsTheSinkWhichCatchesUpWithNothingLost() throws Exception {
        TopicNames topics = createTopics(SERVERS);
        TOPICS.add(topics);
        RealServers.PgDatabase db = SERVERS.newDatabase("opsoutage");
        String prefix = SERVERS.newIndexPrefix("opsoutage") + "-";
        PREFIXES.add(prefix);
        URI es = URI.create(SERVERS.elasticsearchUrl());
        try (CuttableTcpProxy proxy = new CuttableTcpProxy(es.getHost(), es.getPort());
                KafkaProducer<byte[], byte[]> p = producer(SERVERS)) {
            Map<String, String> settings = settings(SERVERS, topics, db, prefix, false);
            settings.put("es.url", "http://127.0.0.1:" + proxy.port());
            JobClient job = OpsSinkJob.start(env(null, null), OpsSinkConfig.of(settings));

            List<OpsLogRecord> before = logLines("before", 300);
            sendLogs(p, topics, before);
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> esCount(SERVERS, prefix + "fx-logs-*") == before.size());

            proxy.cut();
            List<OpsLogRecord> during = logLines("during", 300);
            sendLogs(p, topics, during);
            // the writer keeps trying (and backs off) while Elasticsearch is away
            await().atMost(Duration.ofMinutes(3)).until(() -> proxy.refusedConnections() >= 3);
            assertThat(esCount(SERVERS, prefix + "fx-logs-*")).isEqualTo(before.size());

            proxy.restore();
            await().atMost(Duration.ofMinutes(3))
                    .until(
                            () ->
                                    esCount(SERVERS, prefix + "fx-logs-*")
                                            == before.size() + during.size());
            job.cancel().get();
            List<String> expected = new ArrayList<>();
            Stream.concat(before.stream(), during.stream())
                    .forEach(l -> expected.add(l.recordId()));
            assertThat(esIds(SERVERS, prefix + "fx-logs-*"))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(deadLetters(SERVERS, topics.deadLetter())).isEmpty();
        }
    }

    private static List<OpsLogRecord> logLines(String execution, int n) {
        List<OpsLogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(
                    OpsLogRecord.of(
                            execution + "-" + (i % 7),
                            "billing",
                            "1.0",
                            1,
                            i,
                            "main.py",
                            LogLevel.INFO,
                            OpsFixtures.BASE.plusMillis(i),
                            "line " + i));
        }
        return out;
    }

    /** One outcome an hour later on every lifecycle partition, so the last minutes close. */
    private static List<ExecutionLifecycleRecord> flushRecords(
            KafkaProducer<byte[], byte[]> p, TopicNames topics) {
        List<ExecutionLifecycleRecord> out = new ArrayList<>();
        for (int partition = 0; partition < 4; partition++) {
            String id = "zz-flush-" + partition;
            ExecutionLifecycleRecord r =
                    new ExecutionLifecycleRecord(
                            OpsRecordIds.lifecycle(id, 0),
                            id,
                            "zz-flush",
                            "1.0",
                            ExecutionStatus.SUCCEEDED,
                            1,
                            0,
                            OpsFixtures.BASE.plus(Duration.ofHours(1)),
                            1L,
                            "evt-" + id,
                            "fx.platform.manual",
                            null,
                            "evt-" + id,
                            0,
                            null,
                            null);
            p.send(
                    new ProducerRecord<>(
                            topics.opsExecutions(),
                            partition,
                            bytes(id),
                            Codecs.EXECUTION_LIFECYCLE.encode(r)));
            out.add(r);
        }
        p.flush();
        return out;
    }

    private static StreamExecutionEnvironment env(Path checkpoints, Path restoreFrom) {
        Configuration conf = new Configuration();
        if (checkpoints != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }

    record CheckpointDir(Path path, int number) {}

    private static Optional<CheckpointDir> latestCheckpoint(Path root) throws Exception {
        if (!Files.exists(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(root, 3)) {
            return files.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .map(
                            d ->
                                    new CheckpointDir(
                                            d,
                                            Integer.parseInt(
                                                    d.getFileName().toString().substring(4))))
                    .max(Comparator.comparingInt(CheckpointDir::number));
        }
    }

    /** The checkpoint the job was restored from, per the REST API (null if none). */
    private static JsonNode restoredCheckpoint(ClusterClient<?> cluster, JobClient job)
            throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        cluster.getWebInterfaceURL()
                                                                + "/jobs/"
                                                                + job.getJobID()
                                                                + "/checkpoints"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        JsonNode restored = JSON.readTree(r.body()).at("/latest/restored");
        return restored.isMissingNode() || restored.isNull() ? null : restored;
    }

    private static long rowCount(RealServers.PgDatabase db, String table) throws Exception {
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> executionStates(RealServers.PgDatabase db) throws Exception {
        try (Connection c = db.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery("SELECT execution_id, seq, status FROM executions")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
            }
            return out;
        }
    }
}
