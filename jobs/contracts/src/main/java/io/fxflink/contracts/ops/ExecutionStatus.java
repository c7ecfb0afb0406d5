package io.fxflink.contracts.ops;

/**
 * Lifecycle states of an execution, as reported on the ops executions topic. FAILED and TIMED_OUT
 * are outcomes of one attempt; they are followed by RETRYING (another attempt comes) or DEAD (no
 * attempts left). SUCCEEDED and DEAD end an execution.
 */
public enum ExecutionStatus {
    QUEUED,
    STARTED,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    RETRYING,
    DEAD;

    /** No further attempt follows for this execution. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == DEAD;
    }
}
