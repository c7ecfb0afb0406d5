package io.fxflink.router.routing;

import static io.fxflink.router.RouterTestData.delete;
import static io.fxflink.router.RouterTestData.event;
import static io.fxflink.router.RouterTestData.exact;
import static io.fxflink.router.RouterTestData.inbound;
import static io.fxflink.router.RouterTestData.service;
import static io.fxflink.router.RouterTestData.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.Descriptors;
import io.fxflink.router.source.LinkUpdate;
import io.fxflink.router.source.LinksEndOffsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LinkRoutingFunctionTest {
    private KeyedBroadcastOperatorTestHarness<String, ConsumedEvent, LinkUpdate, ExecutionRequest>
            harness;

    private static LinkRoutingFunction function() {
        return new LinkRoutingFunction(new Router(8), Duration.ofMinutes(10));
    }

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        function(), ConsumedEvent::sourceAndId, Types.STRING, Descriptors.LINKS);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private List<DeadLetterRecord> deadLetters() {
        var side = harness.getSideOutput(DeadLetters.TAG);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void eventMatchingABroadcastLinkBecomesARequest() throws Exception {
        harness.processBroadcastElement(upsert(service("s", 1, "1")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 1, "t", "s", "1")), 0);

        harness.processElement(inbound(event("e1", "t"), 10), 0);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(r -> assertThat(r.linkId()).isEqualTo("l1"));
        assertThat(harness.getBroadcastState(Descriptors.LINKS).get("link:l1").version)
                .isEqualTo(1);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void eventBeforeItsLinkMatchesNothingAndLaterEventsDo() throws Exception {
        harness.processBroadcastElement(upsert(service("s", 1, "1")), 0);
        harness.processElement(inbound(event("e1", "t"), 1), 0);
        harness.processBroadcastElement(upsert(exact("l1", 1, "t", "s", "1")), 0);
        harness.processElement(inbound(event("e2", "t"), 2), 0);

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.triggerEvent().id())
                .containsExactly("e2");
    }

    @Test
    void staleOrReorderedUpdatesNeverWin() throws Exception {
        harness.processBroadcastElement(upsert(service("s", 1, "1", "2")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 3, "t", "s", "2")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 2, "t", "s", "1")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 3, "other", "s", "1")), 0);

        harness.processElement(inbound(event("e1", "t"), 1), 0);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(r -> assertThat(r.serviceVersion()).isEqualTo("2"));
    }

    @Test
    void deleteRemovesTheLinkAndAnOlderUpsertCannotResurrectIt() throws Exception {
        harness.processBroadcastElement(upsert(service("s", 1, "1")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 5, "t", "s", "1")), 0);
        harness.processBroadcastElement(delete(LinkTopicKey.link("l1")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 4, "t", "s", "1")), 0);
        harness.processElement(inbound(event("e1", "t"), 1), 0);
        harness.processBroadcastElement(upsert(exact("l1", 6, "t", "s", "1")), 0);
        harness.processElement(inbound(event("e2", "t"), 2), 0);

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.triggerEvent().id())
                .containsExactly("e2");
    }

    @Test
    void sameEventIdAgainYieldsNoNewRequests() throws Exception {
        harness.processBroadcastElement(upsert(service("s", 1, "1")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 1, "t", "s", "1")), 0);

        harness.processElement(inbound(event("e1", "t"), 1), 0);
        harness.processElement(inbound(event("e1", "t"), 2), 0);

        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void unroutableEventGoesToDeadLettersWithReasonAndOriginalBytes() throws Exception {
        harness.processBroadcastElement(upsert(exact("l1", 1, "t", "ghost", "1")), 0);

        harness.processElement(inbound(event("e1", "t"), 42), 0);
        harness.processElement(inbound(event("e2", "t", Map.of(FxExtensions.DEPTH, "99")), 43), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        List<DeadLetterRecord> dl = deadLetters();
        assertThat(dl).hasSize(2);
        assertThat(dl.get(0).stage()).isEqualTo(DeadLetterStage.ROUTER);
        assertThat(dl.get(0).reason()).contains("e1").contains("unknown service 'ghost'");
        assertThat(dl.get(0).recordId()).isEqualTo("fx.events/0/42");
        assertThat(dl.get(0).originalValue()).isEqualTo(event("e1", "t").data());
        assertThat(dl.get(0).originalHeaders()).containsKey("ce_id");
        assertThat(dl.get(1).reason()).contains("causation depth 99 exceeds the maximum of 8");
    }

    @Test
    void restoredFunctionRebuildsItsTableFromBroadcastState() throws Exception {
        harness.processBroadcastElement(upsert(service("s", 1, "1")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 1, "t", "s", "1")), 0);
        harness.processElement(inbound(event("e1", "t"), 1), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(function(), List.of(Descriptors.LINKS)),
                        ConsumedEvent::sourceAndId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(inbound(event("e1", "t"), 1), 0); // replay: seen before
        harness.processElement(inbound(event("e2", "t"), 2), 0);

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.triggerEvent().id())
                .containsExactly("e2");
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, ConsumedEvent, LinkUpdate, ExecutionRequest>
            harnessWith(LinksEndOffsets endOffsets) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new LinkRoutingFunction(
                        new Router(8), Duration.ofMinutes(10), endOffsets, Duration.ofSeconds(30)),
                ConsumedEvent::sourceAndId,
                Types.STRING,
                Descriptors.LINKS);
    }

    private static LinkUpdate at(long offset, LinkUpdate u) {
        u.offset = offset;
        return u;
    }

    @Test
    void onAFreshStartEventsWaitUntilTheLinksBacklogIsApplied() throws Exception {
        harness.close();
        harness = harnessWith(() -> Map.of(0, 3L)); // links topic holds offsets 0..2 at start
        harness.processBroadcastElement(at(0, upsert(service("s", 1, "1"))), 0);
        harness.processElement(inbound(event("e1", "t"), 1), 0);
        harness.processBroadcastElement(at(1, upsert(exact("l1", 1, "t", "s", "1"))), 0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBroadcastElement(at(2, upsert(exact("l2", 1, "t", "s", "1"))), 0);

        assertThat(harness.extractOutputValues())
                .extracting(ExecutionRequest::linkId)
                .containsExactlyInAnyOrder("l1", "l2");
        harness.processElement(inbound(event("e2", "t"), 2), 0);
        assertThat(harness.extractOutputValues()).hasSize(4);
    }

    @Test
    void heldEventsAreRoutedAfterTheBootstrapTimeoutWhenEndOffsetsAreUnknown() throws Exception {
        harness.close();
        harness = harnessWith(() -> null);
        harness.setProcessingTime(1_000);
        harness.processBroadcastElement(upsert(service("s", 1, "1")), 0);
        harness.processBroadcastElement(upsert(exact("l1", 1, "t", "s", "1")), 0);
        harness.processElement(inbound(event("e1", "t"), 1), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(31_000);

        assertThat(harness.extractOutputValues())
                .extracting(ExecutionRequest::linkId)
                .containsExactly("l1");
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void manyHeldEventsShareOneTimeoutTimerPerTask() throws Exception {
        harness.close();
        harness = harnessWith(() -> Map.of(0, 2L));
        harness.processBroadcastElement(at(0, upsert(service("s", 1, "1"))), 0);
        for (int i = 0; i < 500; i++) {
            harness.processElement(inbound(event("e" + i, "t"), i), 0);
        }
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBroadcastElement(at(1, upsert(exact("l1", 1, "t", "s", "1"))), 0);

        assertThat(harness.extractOutputValues()).hasSize(500);
        harness.setProcessingTime(60_000); // the one timer fires with nothing left to do
        assertThat(harness.extractOutputValues()).hasSize(500);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void heldEventsSurviveACheckpointAndAreRoutedAfterTheRestore() throws Exception {
        harness.close();
        harness = harnessWith(() -> Map.of(0, 3L));
        harness.processBroadcastElement(at(0, upsert(service("s", 1, "1"))), 0);
        harness.processBroadcastElement(at(1, upsert(exact("l1", 1, "t", "s", "1"))), 0);
        harness.processElement(inbound(event("e1", "t"), 1), 0);
        harness.processElement(inbound(event("e2", "t"), 2), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new LinkRoutingFunction(
                                        new Router(8),
                                        Duration.ofMinutes(10),
                                        () -> Map.of(0, 3L),
                                        Duration.ofSeconds(30)),
                                List.of(Descriptors.LINKS)),
                        ConsumedEvent::sourceAndId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processBroadcastElement(at(2, upsert(exact("l2", 1, "u", "s", "1"))), 0);

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.triggerEvent().id())
                .containsExactlyInAnyOrder("e1", "e2");
    }

    @Test
    void aDeadLetteredLinksRecordStillCountsTowardsTheBacklog() throws Exception {
        harness.close();
        harness = harnessWith(() -> Map.of(0, 3L));
        harness.processBroadcastElement(at(0, upsert(service("s", 1, "1"))), 0);
        harness.processBroadcastElement(at(1, upsert(exact("l1", 1, "t", "s", "1"))), 0);
        harness.processElement(inbound(event("e1", "t"), 1), 0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBroadcastElement(LinkUpdate.skipped("fx.links", 0, 2), 0);

        assertThat(harness.extractOutputValues())
                .extracting(ExecutionRequest::linkId)
                .containsExactly("l1");
    }

    @Test
    void scheduledTriggerOfAServiceWithAVeryLongNameStillDeadLettersCleanly() throws Exception {
        String longName = "s".repeat(256);
        harness.processBroadcastElement(upsert(service(longName, 1, false, "* * * * *")), 0);

        harness.processElement(
                io.fxflink.router.schedule.ScheduledTriggers.inbound(
                        longName, java.time.Instant.parse("2026-03-01T10:00:00Z")),
                0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("has no default version"));
    }
}
