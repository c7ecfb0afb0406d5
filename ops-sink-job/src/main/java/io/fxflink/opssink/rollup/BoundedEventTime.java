package io.fxflink.opssink.rollup;

import io.fxflink.opssink.input.OpsInput;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of an ops record, held back to at most {@code maxFutureMs} ahead of this task's clock.
 * The record's time is written by whoever produced it: one record timed in the year 9000 would
 * otherwise move the rollups' watermark there, and every outcome after it would be late. {@link
 * io.fxflink.opssink.SplitOpsInput} sends the held-back outcomes around the rollups.
 */
public class BoundedEventTime implements SerializableTimestampAssigner<OpsInput> {
    private static final long serialVersionUID = 1L;

    private final long maxFutureMs;
    private final SerializableClock clock;

    /** Milliseconds since the epoch; serializable, as the assigner travels with the job. */
    @FunctionalInterface
    public interface SerializableClock extends java.io.Serializable {
        long millis();
    }

    public BoundedEventTime(long maxFutureMs) {
        this(maxFutureMs, System::currentTimeMillis);
    }

    /** With another clock (tests). */
    protected BoundedEventTime(long maxFutureMs, SerializableClock clock) {
        if (maxFutureMs < 0) {
            throw new IllegalArgumentException("maxFutureMs must be >= 0");
        }
        this.maxFutureMs = maxFutureMs;
        this.clock = clock;
    }

    @Override
    public long extractTimestamp(OpsInput in, long recordTimestamp) {
        long t = in.eventTimeMillis;
        if (t == OpsInput.NO_EVENT_TIME) {
            return t;
        }
        long limit = clock.millis() + maxFutureMs;
        return Math.min(t, limit);
    }
}
