package io.fxflink.manager.job;

import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A tiny unbounded, checkpointed job that the jobs ITCase packs into a jar and submits through the
 * manager: numbers from a sequence, throttled, into a discarding sink. Argument 0 = job name.
 */
public final class TinyJob {
    private TinyJob() {}

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "fx-tiny";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(300);
        env.fromSequence(0, Long.MAX_VALUE)
                .name("Numbers")
                .uid("numbers")
                .map(new Throttle())
                .name("Throttle")
                .uid("throttle")
                .sinkTo(new DiscardingSink<>())
                .name("Discard")
                .uid("discard");
        env.execute(name);
    }

    /** About a thousand records a second: keeps the shared build machine's cores free. */
    public static final class Throttle implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) {
            LockSupport.parkNanos(1_000_000);
            return value;
        }
    }
}
