package io.fxflink.router.source;

import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.router.routing.DeadLetterRecords;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes valid link/service updates on; broken records become dead letters here, before the
 * broadcast, so each is reported once and not once per router task. In their place an offset-only
 * update goes on, so the router's links-backlog tracking sees every offset.
 */
public final class SplitRejectedLinks extends ProcessFunction<LinkUpdate, LinkUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SplitRejectedLinks.class);

    @Override
    public void processElement(LinkUpdate update, Context ctx, Collector<LinkUpdate> out) {
        if (update.isRejected()) {
            LOG.warn(
                    "Invalid links record {}/{}/{}: {}",
                    update.topic,
                    update.partition,
                    update.offset,
                    update.rejectReason);
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetterRecords.badLinkRecord(
                            update,
                            Instant.ofEpochMilli(ctx.timerService().currentProcessingTime())));
            // the router still needs the offset: it waits for the links backlog by offsets
            out.collect(LinkUpdate.skipped(update.topic, update.partition, update.offset));
        } else {
            out.collect(update);
        }
    }
}
