package io.fxflink.platform;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A tiny stateful job for the cluster tests: a rate-limited generator, keyed counters in state (so
 * a checkpoint has something to restore), output discarded. Checkpointing and the restart strategy
 * come from the cluster's configuration, as for the platform's own jobs.
 */
public final class CheckpointedCounterJob {
    public static final String NAME = "fx-checkpointed-counter";

    private CheckpointedCounterJob() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataGeneratorSource<Long> numbers =
                new DataGeneratorSource<>(
                        i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(50), Types.LONG);
        env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers")
                .uid("numbers")
                .keyBy(i -> i % 4)
                .process(new Count())
                .uid("count")
                .name("count per key")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        env.execute(NAME);
    }

    /** Counts the numbers per key in keyed state. */
    static final class Count extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            long next = (count.value() == null ? 0 : count.value()) + 1;
            count.update(next);
            out.collect(next);
        }
    }
}
