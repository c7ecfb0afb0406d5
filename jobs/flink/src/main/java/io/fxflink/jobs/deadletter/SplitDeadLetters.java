package io.fxflink.jobs.deadletter;

import io.fxflink.contracts.ops.DeadLetterRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/** Right values go on, left (dead letters) go to {@link DeadLetters#TAG}. Stateless. */
public final class SplitDeadLetters<T> extends ProcessFunction<Either<DeadLetterRecord, T>, T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Either<DeadLetterRecord, T> value, Context ctx, Collector<T> out) {
        if (value.isLeft()) {
            ctx.output(DeadLetters.TAG, value.left());
        } else {
            out.collect(value.right());
        }
    }
}
