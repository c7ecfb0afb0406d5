package io.fxflink.opssink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.opssink.elasticsearch.OpsIndices;
import io.fxflink.opssink.input.OpsInput;
import io.fxflink.opssink.input.OpsRecordDecoder;
import io.fxflink.opssink.rollup.BoundedEventTime;
import io.fxflink.opssink.rollup.RollupInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * One outcome timed in the year 9000 must not move the rollups' watermark there (every later
 * outcome would be late): its event time is held back to the sink's clock plus the allowed future,
 * and the outcome keeps its row and document but goes around the rollup windows.
 */
class FutureOutcomesTest {
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final long NOW = Instant.parse("2026-12-04T12:00:00Z").toEpochMilli();
    private static final long MAX_FUTURE = 300_000;

    private final OpsRecordDecoder decoder = new OpsRecordDecoder(TOPICS, new OpsIndices("p-"));
    private final BoundedEventTime eventTime = new BoundedEventTimeForTest(MAX_FUTURE, NOW);

    @Test
    void aFarFutureOutcomeIsHeldBackAndKeptOutOfTheRollupsButStored() throws Exception {
        OpsInput present = lifecycle("e-now", Instant.ofEpochMilli(NOW - 1_000));
        OpsInput skewed = lifecycle("e-skew", Instant.ofEpochMilli(NOW + MAX_FUTURE - 1));
        OpsInput future = lifecycle("e-9000", Instant.parse("9000-01-01T00:00:00Z"));

        assertThat(eventTime.extractTimestamp(present, 0)).isEqualTo(NOW - 1_000);
        assertThat(eventTime.extractTimestamp(skewed, 0)).isEqualTo(NOW + MAX_FUTURE - 1);
        assertThat(eventTime.extractTimestamp(future, 0)).isEqualTo(NOW + MAX_FUTURE);

        OneInputStreamOperatorTestHarness<OpsInput, ?> split =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        (ProcessFunction<OpsInput, ?>) new SplitOpsInput());
        for (OpsInput in : List.of(present, skewed, future)) {
            split.processElement(new StreamRecord<>(in, eventTime.extractTimestamp(in, 0)));
        }

        assertThat(ids(split.getSideOutput(Descriptors.ROLLUP_INPUTS)))
                .containsExactly("e-now", "e-skew");
        assertThat(ids(split.getSideOutput(Descriptors.FUTURE_ROLLUP_INPUTS)))
                .containsExactly("e-9000");
        assertThat(split.getSideOutput(Descriptors.EXECUTION_ROWS)).hasSize(3);
        assertThat(split.extractOutputValues()).hasSize(3);
    }

    @Test
    void recordsWithoutEventTimeAreLeftAlone() {
        OpsInput noTime = new OpsInput();
        assertThat(eventTime.extractTimestamp(noTime, 0)).isEqualTo(OpsInput.NO_EVENT_TIME);
    }

    private OpsInput lifecycle(String executionId, Instant time) {
        ExecutionLifecycleRecord r =
                new ExecutionLifecycleRecord(
                        executionId + "-3",
                        executionId,
                        "billing",
                        "1.0",
                        ExecutionStatus.SUCCEEDED,
                        1,
                        3,
                        time,
                        12L,
                        "t-1",
                        "order.created",
                        null,
                        "t-1",
                        0,
                        null,
                        "x-1");
        return decoder.decode(
                TOPICS.opsExecutions(), 0, 1, null, Codecs.EXECUTION_LIFECYCLE.encode(r), Map.of());
    }

    private static List<String> ids(
            java.util.concurrent.ConcurrentLinkedQueue<StreamRecord<RollupInput>> out) {
        return out == null
                ? List.of()
                : out.stream().map(r -> r.getValue().recordId.replaceAll("-3$", "")).toList();
    }

    /** The assigner on a fixed clock. */
    private static final class BoundedEventTimeForTest extends BoundedEventTime {
        BoundedEventTimeForTest(long maxFutureMs, long now) {
            super(maxFutureMs, () -> now);
        }
    }
}
