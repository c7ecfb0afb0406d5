package io.fxflink.router.schedule;

import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.schedule.CronSchedule;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.Descriptors;
import io.fxflink.router.routing.DeadLetterRecords;
import io.fxflink.router.routing.LinkStateEntry;
import io.fxflink.router.source.LinkUpdate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron schedules of services, keyed by service name; input = the service configurations of the
 * links topic. One processing-time timer per scheduled service, at its next slot.
 *
 * <p>Each slot emits a synthesized {@code fx.platform.scheduled} trigger event into the router's
 * event stream (before the keyed routing), never to the events topic: the routing function turns it
 * into the service's request like a manual run, with the same checks and dead letters, and its
 * event de-duplication drops a slot fired twice within the window.
 *
 * <p>Exactly one trigger per slot: the last fired slot is keyed state, timers are checkpointed, and
 * the trigger's id (hence the execution id) is derived from service + slot, so a slot that fires
 * again after a restore from a checkpoint taken before it was emitted produces the same execution
 * id, which the executor de-duplicates.
 *
 * <p>Missed slots (job down, or overloaded): when a timer fires late, the <b>latest</b> slot that
 * has passed fires once and the older missed slots are skipped (logged). A schedule change takes
 * effect from the next slot after the change.
 */
public final class ScheduleFunction
        extends KeyedProcessFunction<String, LinkUpdate, ConsumedEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFunction.class);

    private transient ValueState<LinkStateEntry> config;
    private transient ValueState<Long> timer;
    private transient ValueState<Long> lastFired;
    private transient Counter fired;
    private transient Counter skipped;
    private transient String cachedExpression;
    private transient CronSchedule cachedSchedule;

    public ScheduleFunction() {}

    @Override
    public void open(OpenContext openContext) {
        config = getRuntimeContext().getState(Descriptors.SERVICE_CONFIG);
        timer = getRuntimeContext().getState(Descriptors.SCHEDULE_TIMER);
        lastFired = getRuntimeContext().getState(Descriptors.LAST_FIRED_SLOT);
        fired =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("router")
                        .counter("scheduledTriggers");
        skipped =
                getRuntimeContext().getMetricGroup().addGroup("router").counter("skippedCronSlots");
    }

    @Override
    public void processElement(LinkUpdate update, Context ctx, Collector<ConsumedEvent> out)
            throws Exception {
        LinkStateEntry current = config.value();
        String service = ctx.getCurrentKey();
        if (update.isDelete()) {
            cancelTimer(ctx);
            if (current != null && !current.isDeleted()) {
                config.update(LinkStateEntry.of(current.version, null));
                LOG.info("Service {} deleted: schedule removed", service);
            }
            return;
        }
        if (current != null && current.supersedes(update.version)) {
            return;
        }
        config.update(LinkStateEntry.of(update.version, update.json));
        ServiceConfig cfg = Codecs.SERVICE_CONFIG.decode(update.json);
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        if (!cfg.active() || cfg.schedule() == null || cfg.schedule().isBlank()) {
            cancelTimer(ctx);
            return;
        }
        CronSchedule schedule;
        try {
            schedule = schedule(cfg.schedule());
        } catch (IllegalArgumentException e) {
            cancelTimer(ctx);
            LOG.warn("Service {} v{}: {}", service, update.version, e.getMessage());
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetterRecords.badSchedule(
                            service, update.version, update.json, e.getMessage(), now));
            return;
        }
        Long last = lastFired.value();
        Instant from = last == null || last < now.toEpochMilli() ? now : Instant.ofEpochMilli(last);
        Optional<Instant> next = schedule.nextAfter(from);
        Long registered = timer.value();
        if (next.isPresent() && registered != null && registered == next.get().toEpochMilli()) {
            return; // same next slot: keep the timer
        }
        cancelTimer(ctx);
        next.ifPresent(n -> register(ctx, n));
        LOG.info(
                "Service {} v{} scheduled '{}' (UTC), next slot {}",
                service,
                update.version,
                schedule.expression(),
                next.orElse(null));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ConsumedEvent> out)
            throws Exception {
        Long registered = timer.value();
        if (registered == null || registered != timestamp) {
            return; // a timer of an older schedule
        }
        timer.clear();
        LinkStateEntry entry = config.value();
        if (entry == null || entry.isDeleted()) {
            return;
        }
        String service = ctx.getCurrentKey();
        ServiceConfig cfg = Codecs.SERVICE_CONFIG.decode(entry.json);
        if (!cfg.active() || cfg.schedule() == null) {
            return;
        }
        CronSchedule schedule = schedule(cfg.schedule());
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        Long last = lastFired.value();
        Optional<Instant> slot = schedule.latestAtOrBefore(now);
        if (slot.isPresent() && (last == null || slot.get().toEpochMilli() > last)) {
            if (slot.get().toEpochMilli() > timestamp) {
                skipped.inc();
                LOG.warn(
                        "Service {}: slots from {} to before {} were missed; firing {} once",
                        service,
                        Instant.ofEpochMilli(timestamp),
                        slot.get(),
                        slot.get());
            }
            fire(service, slot.get(), out);
            lastFired.update(slot.get().toEpochMilli());
        }
        schedule.nextAfter(now).ifPresent(n -> register(ctx, n));
    }

    private void fire(String service, Instant slot, Collector<ConsumedEvent> out) {
        out.collect(ScheduledTriggers.inbound(service, slot));
        fired.inc();
    }

    private void register(Context ctx, Instant at) {
        ctx.timerService().registerProcessingTimeTimer(at.toEpochMilli());
        try {
            timer.update(at.toEpochMilli());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "cannot store the schedule timer of " + ctx.getCurrentKey(), e);
        }
    }

    private void cancelTimer(Context ctx) throws java.io.IOException {
        Long registered = timer.value();
        if (registered != null) {
            ctx.timerService().deleteProcessingTimeTimer(registered);
            timer.clear();
        }
    }

    private CronSchedule schedule(String expression) {
        if (!Objects.equals(expression, cachedExpression)) {
            cachedSchedule = CronSchedule.parse(expression);
            cachedExpression = expression;
        }
        return cachedSchedule;
    }
}
