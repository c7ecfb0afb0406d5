package io.fxflink.opssink;

import io.fxflink.opssink.elasticsearch.EsDocument;
import io.fxflink.opssink.input.OpsInput;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each decoded ops record where it belongs: its document to Elasticsearch (main output), a
 * lifecycle record's row and rollup input to the PostgreSQL branches, a dead letter to its topic.
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
            ctx.output(Descriptors.ROLLUP_INPUTS, in.rollup);
        }
    }
}
