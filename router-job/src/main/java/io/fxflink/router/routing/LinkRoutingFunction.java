package io.fxflink.router.routing;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicValue;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.router.Descriptors;
import io.fxflink.router.source.InboundEvent;
import io.fxflink.router.source.LinkUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
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
 * <p>Event side: an event id seen within the de-duplication window (keyed state with TTL) yields
 * nothing; otherwise {@link Router} decides, requests go to the main output, problems to {@link
 * Descriptors#DEAD_LETTERS}.
 */
public final class LinkRoutingFunction
        extends KeyedBroadcastProcessFunction<String, InboundEvent, LinkUpdate, ExecutionRequest> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LinkRoutingFunction.class);

    private final Router router;
    private final Duration dedupeWindow;

    private transient LinkTable table;
    private transient ValueState<Boolean> seen;
    private transient Counter eventsIn;
    private transient Counter duplicates;
    private transient Counter unmatched;
    private transient Counter requestsOut;
    private transient Counter deadLetters;
    private transient Counter staleUpdates;

    public LinkRoutingFunction(Router router, Duration dedupeWindow) {
        this.router = router;
        this.dedupeWindow = dedupeWindow;
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
    }

    @Override
    public void processElement(
            InboundEvent event, ReadOnlyContext ctx, Collector<ExecutionRequest> out)
            throws Exception {
        eventsIn.inc();
        if (seen.value() != null) {
            duplicates.inc();
            LOG.debug("Event {} / {} seen before, no new requests", event.source, event.id);
            return;
        }
        seen.update(Boolean.TRUE);
        Instant now = Instant.ofEpochMilli(ctx.currentProcessingTime());
        TriggerEvent trigger;
        try {
            trigger = event.toTriggerEvent();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            deadLetters.inc();
            ctx.output(
                    Descriptors.DEAD_LETTERS, DeadLetters.invalidEvent(event, e.getMessage(), now));
            return;
        }
        RouteResult result =
                router.route(trigger, table(ctx.getBroadcastState(Descriptors.LINKS)), now);
        for (ExecutionRequest r : result.requests()) {
            out.collect(r);
        }
        requestsOut.inc(result.requests().size());
        if (result.hasProblems()) {
            deadLetters.inc();
            ctx.output(
                    Descriptors.DEAD_LETTERS,
                    DeadLetters.unrouted(event, trigger, result.reason(), now));
        } else if (result.requests().isEmpty()) {
            unmatched.inc();
        }
    }

    @Override
    public void processBroadcastElement(
            LinkUpdate update, Context ctx, Collector<ExecutionRequest> out) throws Exception {
        BroadcastState<String, LinkStateEntry> state = ctx.getBroadcastState(Descriptors.LINKS);
        LinkTable t = table(state);
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

    /** The compiled table, rebuilt from broadcast state on first use after (re)start. */
    private LinkTable table(ReadOnlyBroadcastState<String, LinkStateEntry> state) throws Exception {
        if (table == null) {
            LinkTable t = new LinkTable();
            int count = 0;
            for (Map.Entry<String, LinkStateEntry> e : state.immutableEntries()) {
                if (e.getValue().isDeleted()) {
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
