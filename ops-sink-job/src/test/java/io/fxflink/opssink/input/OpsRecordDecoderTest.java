package io.fxflink.opssink.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.opssink.elasticsearch.OpsIndices;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpsRecordDecoderTest {
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Instant T = Instant.parse("2024-05-01T23:59:59.500Z");
    private final OpsRecordDecoder decoder =
            new OpsRecordDecoder(
                    TOPICS, new OpsIndices("p-"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @Test
    void aLogRecordBecomesADocumentInItsDailyIndexWithTheRecordIdAsId() {
        OpsLogRecord r =
                OpsLogRecord.of("e1", "svc", "1.0", 2, 7, "main.py", LogLevel.WARN, T, "hello");
        OpsInput in =
                decoder.decode(TOPICS.opsLogs(), 1, 42, null, Codecs.OPS_LOG.encode(r), Map.of());

        assertThat(in.deadLetter).isNull();
        assertThat(in.document.index).isEqualTo("p-fx-logs-2024.05.01");
        assertThat(in.document.id).isEqualTo("e1/2/7");
        assertThat(in.document.sourceText())
                .contains(
                        "\"execution_id\":\"e1\"",
                        "\"@timestamp\":\"2024-05-01T23:59:59.500Z\"",
                        "\"level\":\"WARN\"",
                        "\"step\":\"main.py\"");
        assertThat(in.document.originOffset).isEqualTo(42);
        assertThat(in.execution).isNull();
        assertThat(in.eventTimeMillis).isEqualTo(T.toEpochMilli());
    }

    @Test
    void anOutcomeFeedsTheDocumentTheRowAndTheRollup() {
        OpsInput in =
                decoder.decode(
                        TOPICS.opsExecutions(),
                        0,
                        1,
                        null,
                        Codecs.EXECUTION_LIFECYCLE.encode(lifecycle(ExecutionStatus.SUCCEEDED)),
                        Map.of());
        assertThat(in.document.index).isEqualTo("p-fx-executions-2024.05.01");
        assertThat(in.execution.finishedAtMillis).isEqualTo(T.toEpochMilli());
        assertThat(in.execution.queuedAtMillis).isNull();
        assertThat(in.rollup.durationMs).isEqualTo(120);
    }

    @Test
    void aTransitionThatIsNoOutcomeFeedsNoRollup() {
        OpsInput in =
                decoder.decode(
                        TOPICS.opsExecutions(),
                        0,
                        1,
                        null,
                        Codecs.EXECUTION_LIFECYCLE.encode(lifecycle(ExecutionStatus.QUEUED)),
                        Map.of());
        assertThat(in.execution.queuedAtMillis).isEqualTo(T.toEpochMilli());
        assertThat(in.rollup).isNull();
    }

    @Test
    void metricIdsAreStableForTheSameSample() {
        MetricRecord m = new MetricRecord("q.depth", Map.of("b", "2", "a", "1"), 3.5, T);
        MetricRecord same = new MetricRecord("q.depth", Map.of("a", "1", "b", "2"), 3.5, T);
        String id1 =
                decoder.decode(TOPICS.opsMetrics(), 0, 1, null, Codecs.METRIC.encode(m), Map.of())
                        .document
                        .id;
        String id2 =
                decoder.decode(
                                TOPICS.opsMetrics(),
                                0,
                                9,
                                null,
                                Codecs.METRIC.encode(same),
                                Map.of())
                        .document
                        .id;
        assertThat(id1).isEqualTo(id2).hasSize(64);
    }

    static Stream<Arguments> hostileInputs() {
        return Stream.of(
                Arguments.of(TOPICS.opsLogs(), null, "no value"),
                Arguments.of(TOPICS.opsLogs(), bytes(""), "invalid OpsLogRecord"),
                Arguments.of(TOPICS.opsLogs(), bytes("[1,2]"), "expected a JSON object"),
                Arguments.of(
                        TOPICS.opsLogs(), bytes("{\"schemaVersion\":1}"), "missing required field"),
                Arguments.of(
                        TOPICS.opsExecutions(),
                        bytes("{\"schemaVersion\":2}"),
                        "unsupported schemaVersion"),
                Arguments.of(
                        TOPICS.opsExecutions(), bytes("{{{{"), "invalid ExecutionLifecycleRecord"),
                Arguments.of(TOPICS.opsMetrics(), new byte[] {(byte) 0xc3, 0x28}, "UTF-8"),
                Arguments.of(
                        TOPICS.opsMetrics(),
                        bytes(
                                "{\"schemaVersion\":1,\"name\":\"m\",\"value\":\"NaN\",\"time\":\"2024-01-01T00:00:00Z\"}"),
                        "invalid MetricRecord"),
                Arguments.of(TOPICS.events(), bytes("{}"), "is not an ops topic"),
                Arguments.of(TOPICS.opsLogs(), new byte[2 * 1024 * 1024], "exceeds the limit"));
    }

    @ParameterizedTest
    @MethodSource("hostileInputs")
    void hostileInputBecomesADeadLetterWithReasonAndOriginalBytes(
            String topic, byte[] value, String reasonPart) {
        OpsInput in = decoder.decode(topic, 3, 99, bytes("k"), value, Map.of("h", bytes("v")));

        assertThat(in.document).isNull();
        assertThat(in.eventTimeMillis).isEqualTo(OpsInput.NO_EVENT_TIME);
        DeadLetterRecord dl = in.deadLetter.decode();
        assertThat(dl.stage()).isEqualTo(DeadLetterStage.OPS_SINK);
        assertThat(dl.reason()).contains(reasonPart);
        assertThat(dl.recordId()).isEqualTo(topic + "/3/99");
        assertThat(dl.sourceTopic()).isEqualTo(topic);
        assertThat(dl.offset()).isEqualTo(99);
        assertThat(dl.originalKey()).isEqualTo(bytes("k"));
        assertThat(dl.originalHeaders()).containsKey("h");
        assertThat(dl.originalValueSize()).isEqualTo(value == null ? 0 : value.length);
        if (value != null && value.length <= DeadLetterRecord.MAX_ORIGINAL_BYTES) {
            assertThat(dl.originalValue()).isEqualTo(value);
        }
    }

    private static ExecutionLifecycleRecord lifecycle(ExecutionStatus status) {
        return new ExecutionLifecycleRecord(
                "e1/s2",
                "e1",
                "svc",
                "1.0",
                status,
                1,
                2,
                T,
                status == ExecutionStatus.SUCCEEDED ? 120L : null,
                "t1",
                "fx.platform.manual",
                null,
                "t1",
                0,
                null,
                "ex-1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
