package io.fxflink.opssink.rollup;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcomes later than the allowed lateness cannot change their (already final) minute any more.
 * They are still in the executions table and in Elasticsearch; here they are counted ({@code
 * lateRollupOutcomes}) and logged so an operator can raise {@code rollup.allowed-lateness-ms}.
 */
public final class LateOutcomeLog extends ProcessFunction<RollupInput, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LateOutcomeLog.class);

    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter("lateRollupOutcomes");
    }

    @Override
    public void processElement(RollupInput in, Context ctx, Collector<Void> out) {
        late.inc();
        LOG.warn(
                "Outcome {} of service {} at {} arrived after its minute was final (watermark {});"
                        + " not in the rollup",
                in.recordId,
                in.service,
                java.time.Instant.ofEpochMilli(in.eventTimeMillis),
                ctx.timerService().currentWatermark());
    }
}
