package io.fxflink.opssink.rollup;

import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcomes timed beyond {@code rollup.max-future-ms} (a skewed clock or a hostile producer) are not
 * rolled up; they are in the executions table and in Elasticsearch. Counted ({@code
 * futureRollupOutcomes}) and logged.
 */
public final class FutureOutcomeLog extends ProcessFunction<RollupInput, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FutureOutcomeLog.class);

    private transient Counter future;

    @Override
    public void open(OpenContext openContext) {
        future = getRuntimeContext().getMetricGroup().counter("futureRollupOutcomes");
    }

    @Override
    public void processElement(RollupInput in, Context ctx, Collector<Void> out) {
        future.inc();
        LOG.warn(
                "Outcome {} of service {} is timed {}, beyond rollup.max-future-ms of this"
                        + " sink's clock; in the executions table, not in the rollup",
                in.recordId,
                in.service,
                Instant.ofEpochMilli(in.eventTimeMillis));
    }
}
