package io.fxflink.opssink;

import io.fxflink.opssink.deadletter.DeadLetter;
import io.fxflink.opssink.postgres.ExecutionRow;
import io.fxflink.opssink.rollup.RollupInput;
import org.apache.flink.util.OutputTag;

/** The job's side outputs, shared by the topology, its functions and the tests. */
public final class Descriptors {
    public static final OutputTag<ExecutionRow> EXECUTION_ROWS =
            new OutputTag<>("execution-rows") {};
    public static final OutputTag<RollupInput> ROLLUP_INPUTS = new OutputTag<>("rollup-inputs") {};
    public static final OutputTag<RollupInput> LATE_ROLLUP_INPUTS =
            new OutputTag<>("late-rollup-inputs") {};

    /** Outcomes timed beyond {@code rollup.max-future-ms}: kept out of the rollup windows. */
    public static final OutputTag<RollupInput> FUTURE_ROLLUP_INPUTS =
            new OutputTag<>("future-rollup-inputs") {};

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private Descriptors() {}
}
