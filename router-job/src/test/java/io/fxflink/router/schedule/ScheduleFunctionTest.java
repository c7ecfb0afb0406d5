package io.fxflink.router.schedule;

import static io.fxflink.router.RouterTestData.delete;
import static io.fxflink.router.RouterTestData.service;
import static io.fxflink.router.RouterTestData.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.source.LinkUpdate;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScheduleFunctionTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:30Z");
    private KeyedOneInputStreamOperatorTestHarness<String, LinkUpdate, ConsumedEvent> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, LinkUpdate, ConsumedEvent>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ScheduleFunction()), LinkUpdate::id, Types.STRING);
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(START.toEpochMilli());
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private List<DeadLetterRecord> deadLetters() {
        return harness.getSideOutput(DeadLetters.TAG) == null
                ? List.of()
                : harness.getSideOutput(DeadLetters.TAG).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    private void at(String instant) throws Exception {
        harness.setProcessingTime(Instant.parse(instant).toEpochMilli());
    }

    @Test
    void eachSlotFiresOneScheduledTriggerWithADeterministicId() throws Exception {
        harness.processElement(upsert(service("s", 1, true, "* * * * *", "1")), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        at("2026-03-01T10:01:00Z");
        at("2026-03-01T10:02:00.005Z");

        List<ConsumedEvent> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        TriggerEvent first = out.get(0).event();
        assertThat(first.id())
                .isEqualTo(ScheduledTriggers.eventId("s", Instant.parse("2026-03-01T10:01:00Z")));
        assertThat(first.type()).isEqualTo(PlatformEventTypes.SCHEDULED);
        assertThat(first.extension(FxExtensions.TARGET_SERVICE)).contains("s");
        assertThat(out.get(1).event().time().toInstant())
                .isEqualTo(Instant.parse("2026-03-01T10:02:00Z"));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }

    @Test
    void slotsMissedWhileDownFireOnceForTheLatestSlot() throws Exception {
        harness.processElement(upsert(service("s", 1, true, "* * * * *", "1")), 0);

        at("2026-03-01T10:07:20Z"); // 10:01 .. 10:07 passed while "down"

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.event().id())
                                        .isEqualTo(
                                                ScheduledTriggers.eventId(
                                                        "s",
                                                        Instant.parse("2026-03-01T10:07:00Z"))));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }

    @Test
    void restoredJobDoesNotFireASlotTwice() throws Exception {
        harness.processElement(upsert(service("s", 1, true, "* * * * *", "1")), 0);
        at("2026-03-01T10:01:00Z");
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.close();

        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        at("2026-03-01T10:01:30Z");
        assertThat(harness.extractOutputValues()).isEmpty();
        at("2026-03-01T10:02:00Z");
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.event().id())
                .containsExactly(
                        ScheduledTriggers.eventId("s", Instant.parse("2026-03-01T10:02:00Z")));
    }

    @Test
    void invalidCronIsADeadLetterAndSchedulesNothing() throws Exception {
        harness.processElement(upsert(service("s", 1, true, "every minute please", "1")), 0);

        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(deadLetters())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.reason())
                                    .contains("service 's' schedule")
                                    .contains("cron");
                            assertThat(d.recordId()).isEqualTo("schedule/s/v1");
                        });
    }

    @Test
    void changingOrRemovingTheScheduleMovesOrDropsTheTimer() throws Exception {
        harness.processElement(upsert(service("s", 1, true, "0 * * * *", "1")), 0);
        harness.processElement(upsert(service("s", 2, true, "* * * * *", "1")), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        at("2026-03-01T10:01:00Z");
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.processElement(upsert(service("s", 3, true, null, "1")), 0);
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.processElement(upsert(service("s", 4, true, "* * * * *", "1")), 0);
        harness.processElement(delete(LinkTopicKey.service("s")), 0);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        at("2026-03-01T10:05:00Z");
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void staleConfigDoesNotChangeTheSchedule() throws Exception {
        harness.processElement(upsert(service("s", 5, true, "* * * * *", "1")), 0);
        harness.processElement(upsert(service("s", 4, true, null, "1")), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }
}
