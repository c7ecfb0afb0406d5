package io.fxflink.opssink;

import io.fxflink.opssink.elasticsearch.EsDocument;
import io.fxflink.opssink.input.OpsInput;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each decoded ops record where it belongs: its document to Elasticsearch (main output), a
 * lifecycle record's row and rollup input to the PostgreSQL branches, a dead letter to its topic.
 * An outcome timed beyond what {@link io.fxflink.opssink.rollup.BoundedEventTime} lets through
 * keeps its row and document but stays out of the rollups.
 */
public final class SplitOpsInput extends ProcessFunction<OpsInput, EsDocument> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(OpsInput in, Context ctx, Collector<EsDocument> out) {
        if (in.deadLetter != null) {
            ctx.output(Descriptors.DEAD_LETTERS, in.deadLetter);
            return;
        }
        out.collect(in.document);
        if (in.execution != null) {
            ctx.output(Descriptors.EXECUTION_ROWS, in.execution);
        }
        if (in.rollup != null) {
            // BoundedEventTime held the timestamp back: the outcome's own time is in the future
            Long timestamp = ctx.timestamp();
            boolean fromTheFuture = timestamp != null && in.rollup.eventTimeMillis > timestamp;
            ctx.output(
                    fromTheFuture ? Descriptors.FUTURE_ROLLUP_INPUTS : Descriptors.ROLLUP_INPUTS,
                    in.rollup);
        }
    }
}
