package io.fxflink.opssink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.opssink.testing.ExampleQueries;
import io.fxflink.opssink.testing.OpsFixtures;
import io.fxflink.opssink.testing.OpsSinkTestBase;
import io.fxflink.testsupport.RealServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster (parallelism 2) against real Kafka, Elasticsearch and PostgreSQL:
 * shuffled lifecycle records, logs, metrics and malformed records in; documents, execution rows,
 * rollups and dead letters out, checked against independently computed expectations.
 */
class OpsSinkJobITCase extends OpsSinkTestBase {
    @RegisterExtension static final RealServers SERVERS = servers();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String REJECTED_DAY_INDEX_SUFFIX = "fx-logs-2024.05.02";

    private static TopicNames topics;
    private static RealServers.PgDatabase db;
    private static String indexPrefix;
    private static OpsFixtures data;
    private static List<OpsLogRecord> rejectedLogs;
    private static List<byte[]> malformed;

    @BeforeAll
    static void runTheJobOnceOverTheFixtures() throws Exception {
        topics = createTopics(SERVERS);
        db = SERVERS.newDatabase("opssink");
        indexPrefix = SERVERS.newIndexPrefix("ops") + "-";
        data = OpsFixtures.generate(40, 7);

        // someone created one day's index by hand with a conflicting mapping: its documents are
        // rejected by Elasticsearch and must reach the dead-letter topic with the reason
        es(
                SERVERS,
                "PUT",
                "/" + indexPrefix + REJECTED_DAY_INDEX_SUFFIX,
                "{\"mappings\":{\"properties\":{\"sequence\":{\"type\":\"boolean\"}}}}");
        rejectedLogs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rejectedLogs.add(
                    OpsLogRecord.of(
                            "late-exec",
                            "billing",
                            "1.0",
                            1,
                            i + 2,
                            null,
                            LogLevel.ERROR,
                            Instant.parse("2024-05-02T00:00:01Z"),
                            "rejected " + i));
        }
        malformed =
                List.of(
                        bytes("not json at all"),
                        bytes("{\"schemaVersion\":1,\"recordId\":\"x\"}"),
                        bytes("{\"schemaVersion\":99}"),
                        new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});

        try (KafkaProducer<byte[], byte[]> p = producer(SERVERS)) {
            sendLifecycle(p, topics, data.shuffledLifecycle(11));
            sendLogs(p, topics, data.logs);
            sendLogs(p, topics, rejectedLogs);
            sendMetrics(p, topics, data.metrics);
            sendRaw(p, topics.opsExecutions(), 0, malformed.get(0));
            sendRaw(p, topics.opsLogs(), 1, malformed.get(1));
            sendRaw(p, topics.opsExecutions(), 2, malformed.get(2));
            sendRaw(p, topics.opsMetrics(), 0, malformed.get(3));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        OpsSinkConfig config = OpsSinkConfig.of(settings(SERVERS, topics, db, indexPrefix, true));
        JobClient job = OpsSinkJob.start(env, config);
        job.getJobExecutionResult().get(3, java.util.concurrent.TimeUnit.MINUTES);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        deleteTopics(SERVERS, topics);
        deleteTemplates(SERVERS, indexPrefix);
    }

    @Test
    void everyRecordBecomesExactlyOneDocumentWithItsRecordIdAsId() throws Exception {
        assertThat(esIds(SERVERS, indexPrefix + "fx-logs-2024.05.01"))
                .containsExactlyInAnyOrderElementsOf(
                        data.logs.stream().map(OpsLogRecord::recordId).toList());
        assertThat(esIds(SERVERS, indexPrefix + "fx-executions-*"))
                .containsExactlyInAnyOrderElementsOf(
                        data.lifecycle.stream().map(ExecutionLifecycleRecord::recordId).toList());
        assertThat(esCount(SERVERS, indexPrefix + "fx-metrics-*")).isEqualTo(data.metrics.size());
    }

    @Test
    void logDocumentsUseTheTemplateMappingAndAreFoundByExecutionAndText() throws Exception {
        OpsLogRecord any = data.logs.get(5);
        JsonNode source =
                es(
                                SERVERS,
                                "GET",
                                "/"
                                        + indexPrefix
                                        + "fx-logs-2024.05.01/_doc/"
                                        + any.recordId().replace("/", "%2F"),
                                null)
                        .get("_source");
        assertThat(source.get("execution_id").asText()).isEqualTo(any.executionId());
        assertThat(source.get("service_version").asText()).isEqualTo(any.serviceVersion());
        assertThat(source.get("level").asText()).isEqualTo(any.level().name());
        assertThat(source.get("@timestamp").asText()).isEqualTo(any.time().toString());
        assertThat(source.get("message").asText()).isEqualTo(any.message());

        JsonNode mapping =
                es(SERVERS, "GET", "/" + indexPrefix + "fx-logs-2024.05.01/_mapping", null);
        JsonNode props = mapping.elements().next().at("/mappings/properties");
        assertThat(props.at("/execution_id/type").asText()).isEqualTo("keyword");
        assertThat(props.at("/message/type").asText()).isEqualTo("text");
        assertThat(props.at("/message/fields/keyword/type").asText()).isEqualTo("keyword");
        assertThat(props.at("/@timestamp/type").asText()).isEqualTo("date");

        JsonNode hits =
                es(
                                SERVERS,
                                "GET",
                                "/" + indexPrefix + "fx-logs-*/_search",
                                "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"execution_id\":\""
                                        + any.executionId()
                                        + "\"}}],\"must\":[{\"match\":{\"message\":\"attempt\"}}]}},"
                                        + "\"sort\":[{\"@timestamp\":\"asc\"}]}")
                        .at("/hits/hits");
        long expected =
                data.logs.stream().filter(l -> l.executionId().equals(any.executionId())).count();
        assertThat(hits.size()).isEqualTo((int) expected);
    }

    @Test
    void executionRowsHoldTheLatestStateAndPerStatusTimesDespiteShuffledArrival() throws Exception {
        Map<String, ExecutionLifecycleRecord> latest = data.latestByExecution();
        try (Connection c = db.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT execution_id, status, attempt, seq, duration_ms,"
                                                + " error, queued_at, started_at, finished_at,"
                                                + " root_event_id, causation_depth, updated_at"
                                                + " FROM executions ORDER BY execution_id")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                String id = rs.getString("execution_id");
                ExecutionLifecycleRecord want = latest.get(id);
                assertThat(want).as("unexpected row %s", id).isNotNull();
                assertThat(rs.getString("status")).as(id).isEqualTo(want.status().name());
                assertThat(rs.getInt("attempt")).as(id).isEqualTo(want.attempt());
                assertThat(rs.getLong("seq")).as(id).isEqualTo(want.sequence());
                assertThat((Long) rs.getObject("duration_ms")).as(id).isEqualTo(want.durationMs());
                assertThat(rs.getString("error")).as(id).isEqualTo(want.error());
                assertThat(instant(rs, "queued_at"))
                        .as(id)
                        .isEqualTo(data.firstTime(id, ExecutionStatus.QUEUED));
                assertThat(instant(rs, "started_at"))
                        .as(id)
                        .isEqualTo(data.lastTime(id, ExecutionStatus.STARTED));
                assertThat(instant(rs, "finished_at"))
                        .as(id)
                        .isEqualTo(
                                data.lastTime(
                                        id,
                                        ExecutionStatus.SUCCEEDED,
                                        ExecutionStatus.FAILED,
                                        ExecutionStatus.TIMED_OUT,
                                        ExecutionStatus.DEAD));
                assertThat(instant(rs, "updated_at")).as(id).isEqualTo(want.time());
                assertThat(rs.getString("root_event_id")).as(id).isEqualTo(want.rootEventId());
            }
            assertThat(rows).isEqualTo(latest.size());
        }
    }

    @Test
    void minuteRollupsCountEachOutcomeOnceWithNearestRankPercentiles() throws Exception {
        assertThat(rollupRows(db)).containsExactlyElementsOf(data.expectedRollups());
    }

    @Test
    void malformedRecordsAndRejectedDocumentsAreDeadLetteredWithReasonAndBytes() {
        List<DeadLetterRecord> letters = deadLetters(SERVERS, topics.deadLetter());
        assertThat(letters).hasSize(malformed.size() + rejectedLogs.size());
        assertThat(letters).allMatch(l -> l.stage() == DeadLetterStage.OPS_SINK);

        List<DeadLetterRecord> decodeFailures =
                letters.stream().filter(l -> l.reason().startsWith("invalid ")).toList();
        assertThat(decodeFailures).hasSize(malformed.size());
        assertThat(decodeFailures.stream().map(DeadLetterRecord::originalValue).toList())
                .usingElementComparator(java.util.Arrays::compare)
                .containsExactlyInAnyOrderElementsOf(malformed);
        assertThat(decodeFailures)
                .anyMatch(l -> l.reason().contains("schemaVersion 99"))
                .anyMatch(l -> l.reason().contains("UTF-8"));

        List<DeadLetterRecord> rejected =
                letters.stream()
                        .filter(l -> l.reason().startsWith("Elasticsearch rejected"))
                        .toList();
        assertThat(rejected).hasSize(rejectedLogs.size());
        assertThat(rejected)
                .allMatch(l -> l.reason().contains(REJECTED_DAY_INDEX_SUFFIX))
                .allMatch(l -> l.reason().contains("(status 400)"))
                .allMatch(l -> l.sourceTopic().equals(topics.opsLogs()));
        assertThat(rejected.stream().map(l -> new String(l.originalKey())).toList())
                .containsExactlyInAnyOrderElementsOf(
                        rejectedLogs.stream().map(OpsLogRecord::recordId).toList());
    }

    @Test
    void exampleQueriesAnswerFromTheRowsTheJobWrote() throws Exception {
        Map<String, String> queries = ExampleQueries.load();
        try (Connection c = db.connect()) {
            c.createStatement().execute("SET ROLE fx_ops_reader");

            // slowest services: p95 of the latest durations, highest first
            List<String> slowest =
                    rows(c, queries.get("slowest-services"), List.of(), "service", "p95_ms");
            Map<String, List<Long>> durations =
                    data.latestByExecution().values().stream()
                            .filter(r -> r.durationMs() != null)
                            .collect(
                                    Collectors.groupingBy(
                                            ExecutionLifecycleRecord::service,
                                            Collectors.mapping(
                                                    ExecutionLifecycleRecord::durationMs,
                                                    Collectors.toList())));
            List<String> expected =
                    durations.entrySet().stream()
                            .sorted(
                                    java.util.Comparator.comparing(
                                                    (Map.Entry<String, List<Long>> e) ->
                                                            -p95(e.getValue()))
                                            .thenComparing(Map.Entry::getKey))
                            .map(e -> e.getKey() + "|" + p95(e.getValue()))
                            .toList();
            assertThat(slowest).containsExactlyElementsOf(expected);

            // failure rate: one hour of data, outcomes per service as in the rollups
            List<String> rates =
                    rows(
                            c,
                            queries.get("failure-rate-by-service-and-hour"),
                            List.of(),
                            "service",
                            "outcomes",
                            "failures");
            Map<String, long[]> perService = new HashMap<>();
            for (String r : data.expectedRollups()) {
                String[] f = r.split("\\|");
                long[] acc = perService.computeIfAbsent(f[0], k -> new long[2]);
                acc[0] += Long.parseLong(f[2]);
                acc[1] += Long.parseLong(f[4]) + Long.parseLong(f[5]);
            }
            assertThat(rates)
                    .containsExactlyInAnyOrderElementsOf(
                            perService.entrySet().stream()
                                    .map(
                                            e ->
                                                    e.getKey()
                                                            + "|"
                                                            + e.getValue()[0]
                                                            + "|"
                                                            + e.getValue()[1])
                                    .toList());

            // the trigger chain, by root event and link by link
            assertThat(
                            rows(
                                    c,
                                    queries.get("executions-of-a-trigger-chain"),
                                    List.of("evt-root"),
                                    "execution_id",
                                    "causation_depth"))
                    .containsExactly("chain-a|0", "chain-b|1", "chain-c|2");
            assertThat(
                            rows(
                                    c,
                                    queries.get("causation-tree-below-an-event"),
                                    List.of("evt-root"),
                                    "execution_id",
                                    "level"))
                    .containsExactly("chain-a|0", "chain-b|1", "chain-c|2");
        }
    }

    private static long p95(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (95 * sorted.size() + 99) / 100;
        return sorted.get(rank - 1);
    }

    static List<String> rows(Connection c, String sql, List<String> params, String... columns)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (String col : columns) {
                        values.add(rs.getString(col));
                    }
                    out.add(String.join("|", values));
                }
            }
            return out;
        }
    }

    static List<String> rollupRows(RealServers.PgDatabase db) throws Exception {
        try (Connection c = db.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT service, minute, total, succeeded, failed,"
                                                + " timed_out, p50_ms, p95_ms FROM"
                                                + " execution_rollups_minute ORDER BY service,"
                                                + " minute")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(
                        rs.getString(1)
                                + "|"
                                + rs.getTimestamp(2).toInstant()
                                + "|"
                                + rs.getLong(3)
                                + "|"
                                + rs.getLong(4)
                                + "|"
                                + rs.getLong(5)
                                + "|"
                                + rs.getLong(6)
                                + "|"
                                + rs.getLong(7)
                                + "|"
                                + rs.getLong(8));
            }
            return out;
        }
    }

    private static Instant instant(ResultSet rs, String column) throws Exception {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
