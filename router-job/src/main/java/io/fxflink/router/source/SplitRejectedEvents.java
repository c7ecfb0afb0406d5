package io.fxflink.router.source;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.router.Descriptors;
import io.fxflink.router.routing.DeadLetters;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Passes decoded events on; undecodable records become dead letters (side output). */
public final class SplitRejectedEvents extends ProcessFunction<InboundEvent, InboundEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(InboundEvent event, Context ctx, Collector<InboundEvent> out) {
        if (event.isRejected()) {
            DeadLetterRecord dl =
                    DeadLetters.undecodable(
                            event,
                            Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()));
            ctx.output(Descriptors.DEAD_LETTERS, dl);
        } else {
            out.collect(event);
        }
    }
}
