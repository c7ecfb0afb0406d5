package io.fxflink.router.routing;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicValue;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.Descriptors;
import io.fxflink.router.source.LinkUpdate;
import io.fxflink.router.source.LinksEndOffsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins events (keyed by source + id) with the broadcast links and service configurations.
 *
 * <p>Broadcast side: upserts win only with a higher version than the state holds, deletes leave a
 * versioned marker; every task applies the same updates in the same order (the links topic has one
 * partition, read by one source task), so all tasks hold the same table. The compiled {@link
 * LinkTable} is a per-task cache of the broadcast state, rebuilt from it after a restore.
 *
 * <p>Links bootstrap: on a fresh start (no checkpoint) a task holds events until it has applied the
 * links topic up to its end offsets at start, so no event is routed against a half-loaded table;
 * after {@code bootstrapTimeout} held events are routed anyway (with a WARN). Held events live in
 * the task's operator state (checkpointed) with ONE timeout timer per task: a per-key timer for
 * every held event made a burst of thousands of (empty) timers fire at once after a large backlog.
 *
 * <p>Event side: an event id seen within the de-duplication window (keyed state with TTL) yields
 * nothing; otherwise {@link Router} decides, requests go to the main output, problems to {@link
 * DeadLetters#TAG}.
 */
public final class LinkRoutingFunction
        extends KeyedBroadcastProcessFunction<String, ConsumedEvent, LinkUpdate, ExecutionRequest>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LinkRoutingFunction.class);

    /** Broadcast-state key of the "links loaded" flag (not a links-topic key: no colon). */
    static final String READY_KEY = "~links-loaded";

    private final Router router;
    private final Duration dedupeWindow;
    private final LinksEndOffsets endOffsets;
    private final Duration bootstrapTimeout;

    private transient LinkTable table;
    private transient boolean ready;
    private transient Map<Integer, Long> startEndOffsets;
    private transient Map<Integer, Long> appliedOffsets;
    private transient ValueState<Boolean> seen;
    private transient ListState<ConsumedEvent> heldState;
    private transient List<ConsumedEvent> held;
    private transient boolean timeoutTimerSet;
    private transient Counter eventsIn;
    private transient Counter duplicates;
    private transient Counter unmatched;
    private transient Counter requestsOut;
    private transient Counter deadLetters;
    private transient Counter staleUpdates;
    private transient Counter heldForLinks;

    public LinkRoutingFunction(
            Router router,
            Duration dedupeWindow,
            LinksEndOffsets endOffsets,
            Duration bootstrapTimeout) {
        this.router = router;
        this.dedupeWindow = dedupeWindow;
        this.endOffsets = endOffsets;
        this.bootstrapTimeout = bootstrapTimeout;
    }

    /** Without a links backlog to wait for (tests). */
    public LinkRoutingFunction(Router router, Duration dedupeWindow) {
        this(router, dedupeWindow, LinksEndOffsets.none(), Duration.ofSeconds(30));
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(Descriptors.seenEvents(dedupeWindow));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("router");
        eventsIn = metrics.counter("eventsIn");
        duplicates = metrics.counter("duplicateEvents");
        unmatched = metrics.counter("unmatchedEvents");
        requestsOut = metrics.counter("executionRequests");
        deadLetters = metrics.counter("deadLetters");
        staleUpdates = metrics.counter("staleLinkUpdates");
        heldForLinks = metrics.counter("eventsHeldForLinks");
        appliedOffsets = new HashMap<>();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        heldState = context.getOperatorStateStore().getListState(Descriptors.HELD_FOR_LINKS);
        held = new ArrayList<>();
        for (ConsumedEvent e : heldState.get()) {
            held.add(e);
        }
        if (!held.isEmpty()) {
            LOG.info("Restored {} events held until the links are loaded", held.size());
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        heldState.update(held);
    }

    @Override
    public void processElement(
            ConsumedEvent event, ReadOnlyContext ctx, Collector<ExecutionRequest> out)
            throws Exception {
        eventsIn.inc();
        if (seen.value() != null) {
            duplicates.inc();
            LOG.debug(
                    "Event {} / {} seen before, no new requests",
                    event.event().source(),
                    event.event().id());
            return;
        }
        seen.update(Boolean.TRUE);
        ReadOnlyBroadcastState<String, LinkStateEntry> state =
                ctx.getBroadcastState(Descriptors.LINKS);
        if (!isReady(state)) {
            if (!timeoutTimerSet) {
                // one timer per task (under this event's key): it releases every held event
                ctx.timerService()
                        .registerProcessingTimeTimer(
                                ctx.currentProcessingTime() + bootstrapTimeout.toMillis());
                timeoutTimerSet = true;
            }
            held.add(event); // immutable: safe to keep with object reuse on
            heldForLinks.inc();
            return;
        }
        LinkTable t = table(state);
        long now = ctx.currentProcessingTime();
        if (!held.isEmpty()) {
            // restored held events on a task whose links were loaded already (rescaled restore)
            releaseHeld(t, now, out, dl -> ctx.output(DeadLetters.TAG, dl));
        }
        route(event, t, now, out, dl -> ctx.output(DeadLetters.TAG, dl));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ExecutionRequest> out)
            throws Exception {
        timeoutTimerSet = false;
        if (held.isEmpty()) {
            return; // the links were loaded in time
        }
        LinkTable t = table(ctx.getBroadcastState(Descriptors.LINKS));
        LOG.warn(
                "Links not loaded {} after start: routing {} held events with the {} links known"
                        + " so far",
                bootstrapTimeout,
                held.size(),
                t.linkCount());
        releaseHeld(t, ctx.currentProcessingTime(), out, dl -> ctx.output(DeadLetters.TAG, dl));
    }

    private void releaseHeld(
            LinkTable t,
            long now,
            Collector<ExecutionRequest> out,
            Consumer<DeadLetterRecord> dead) {
        for (ConsumedEvent e : held) {
            route(e, t, now, out, dead);
        }
        held.clear();
    }

    @Override
    public void processBroadcastElement(
            LinkUpdate update, Context ctx, Collector<ExecutionRequest> out) throws Exception {
        BroadcastState<String, LinkStateEntry> state = ctx.getBroadcastState(Descriptors.LINKS);
        LinkTable t = table(state);
        if (!update.isRejected()) {
            apply(update, state, t);
        }
        if (!state.contains(READY_KEY)) {
            appliedOffsets.merge(update.partition, update.offset, Math::max);
            if (isReady(state) || caughtUp()) {
                markReady(state);
            }
        }
        if (!held.isEmpty() && isReady(state)) {
            releaseHeld(t, ctx.currentProcessingTime(), out, dl -> ctx.output(DeadLetters.TAG, dl));
        }
    }

    private void apply(LinkUpdate update, BroadcastState<String, LinkStateEntry> state, LinkTable t)
            throws Exception {
        LinkTopicKey key = LinkTopicKey.parse(update.key);
        LinkStateEntry current = state.get(update.key);
        if (update.isDelete()) {
            if (current != null && !current.isDeleted()) {
                state.put(update.key, LinkStateEntry.of(current.version, null));
                t.remove(key);
                LOG.info("Removed {} (was v{})", update.key, current.version);
            }
            return;
        }
        if (current != null && current.supersedes(update.version)) {
            staleUpdates.inc();
            LOG.debug(
                    "Ignored {} v{}: state holds v{}", update.key, update.version, current.version);
            return;
        }
        LinkTopicValue value = update.value();
        state.put(update.key, LinkStateEntry.of(update.version, update.json));
        t.put(value);
        LOG.info("Applied {} v{}", update.key, update.version);
    }

    private void route(
            ConsumedEvent event,
            LinkTable t,
            long nowMillis,
            Collector<ExecutionRequest> out,
            Consumer<DeadLetterRecord> dead) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        TriggerEvent trigger = event.event();
        RouteResult result;
        try {
            result = router.route(trigger, t, now);
        } catch (RuntimeException e) {
            // a bug or a library failure on one event must not become a restart loop (poison
            // pill): the event goes to the dead-letter topic and routing goes on
            LOG.error("Routing event {} / {} failed", trigger.source(), trigger.id(), e);
            result = RouteResult.rejected("internal routing error: " + e);
        }
        for (ExecutionRequest r : result.requests()) {
            out.collect(r);
        }
        requestsOut.inc(result.requests().size());
        if (result.hasProblems()) {
            deadLetters.inc();
            dead.accept(deadLetter(event, result.reason(), now));
        } else if (result.requests().isEmpty()) {
            unmatched.inc();
        }
    }

    private static DeadLetterRecord deadLetter(ConsumedEvent event, String reason, Instant now) {
        TriggerEvent trigger = event.event();
        try {
            return DeadLetterRecords.unrouted(event, reason, now);
        } catch (RuntimeException e) {
            // e.g. a source name too long for the record: keep the reason and the data
            return DeadLetterRecord.ofPayload(
                    DeadLetterStage.ROUTER,
                    "event " + trigger.source() + " / " + trigger.id() + ": " + reason,
                    now,
                    trigger.data());
        }
    }

    private boolean isReady(ReadOnlyBroadcastState<String, LinkStateEntry> state) throws Exception {
        if (ready) {
            return true;
        }
        if (state.contains(READY_KEY)) {
            ready = true; // restored: the checkpoint holds every link applied before it
            return true;
        }
        if (startEndOffsets == null) {
            Map<Integer, Long> fetched = endOffsets.fetch();
            // unknown end offsets: wait for the timeout, never block forever
            startEndOffsets = fetched == null ? Map.of(-1, Long.MAX_VALUE) : fetched;
            LOG.info("Links topic end offsets at start: {}", startEndOffsets);
        }
        // e.g. an empty links topic: nothing to wait for
        ready = caughtUp();
        return ready;
    }

    private boolean caughtUp() {
        for (Map.Entry<Integer, Long> e : startEndOffsets.entrySet()) {
            if (e.getValue() > 0
                    && appliedOffsets.getOrDefault(e.getKey(), -1L) < e.getValue() - 1) {
                return false;
            }
        }
        return true;
    }

    private void markReady(BroadcastState<String, LinkStateEntry> state) throws Exception {
        state.put(READY_KEY, LinkStateEntry.of(1, new byte[0]));
        ready = true;
        LOG.info("Links loaded up to the end offsets at start: routing");
    }

    /** The compiled table, rebuilt from broadcast state on first use after (re)start. */
    private LinkTable table(ReadOnlyBroadcastState<String, LinkStateEntry> state) throws Exception {
        if (table == null) {
            LinkTable t = new LinkTable();
            int count = 0;
            for (Map.Entry<String, LinkStateEntry> e : state.immutableEntries()) {
                if (e.getValue().isDeleted() || READY_KEY.equals(e.getKey())) {
                    continue;
                }
                LinkTopicKey key = LinkTopicKey.parse(e.getKey());
                t.put(
                        key.kind() == LinkTopicKey.Kind.LINK
                                ? Codecs.LINK.decode(e.getValue().json)
                                : Codecs.SERVICE_CONFIG.decode(e.getValue().json));
                count++;
            }
            if (count > 0) {
                LOG.info("Restored {} links and services from broadcast state", count);
            }
            table = t;
        }
        return table;
    }
}
