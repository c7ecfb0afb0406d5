package io.fxflink.opssink.postgres;

import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import java.io.Serializable;

/**
 * One lifecycle record flattened for the {@code executions} upsert. Only the timestamp column of
 * the record's own status is set (queued, started or finished); the upsert merges them.
 */
public final class ExecutionRow implements Serializable {
    private static final long serialVersionUID = 1L;

    public String executionId;
    public String service;
    public String serviceVersion;
    public String status;
    public int attempt;
    public long seq;
    public String triggerEventId;
    public String triggerEventType;
    public String causationId;
    public String rootEventId;
    public int causationDepth;
    public Long queuedAtMillis;
    public Long startedAtMillis;
    public Long finishedAtMillis;
    public Long durationMs;
    public String error;
    public String executorId;
    public long updatedAtMillis;

    public ExecutionRow() {}

    public static ExecutionRow of(ExecutionLifecycleRecord r) {
        ExecutionRow row = new ExecutionRow();
        row.executionId = r.executionId();
        row.service = r.service();
        row.serviceVersion = r.serviceVersion();
        row.status = r.status().name();
        row.attempt = r.attempt();
        row.seq = r.sequence();
        row.triggerEventId = r.triggerEventId();
        row.triggerEventType = r.triggerEventType();
        row.causationId = r.causationId();
        row.rootEventId = r.rootEventId();
        row.causationDepth = r.causationDepth();
        long time = r.time().toEpochMilli();
        if (r.status() == ExecutionStatus.QUEUED) {
            row.queuedAtMillis = time;
        } else if (r.status() == ExecutionStatus.STARTED) {
            row.startedAtMillis = time;
        } else if (isOutcome(r.status())) {
            row.finishedAtMillis = time;
        }
        row.durationMs = r.durationMs();
        row.error = r.error();
        row.executorId = r.executorId();
        row.updatedAtMillis = time;
        return row;
    }

    /** Statuses that end an attempt (and set {@code finished_at}). */
    public static boolean isOutcome(ExecutionStatus s) {
        return s == ExecutionStatus.SUCCEEDED
                || s == ExecutionStatus.FAILED
                || s == ExecutionStatus.TIMED_OUT
                || s == ExecutionStatus.DEAD;
    }

    @Override
    public String toString() {
        return "ExecutionRow[" + executionId + " seq " + seq + " " + status + "]";
    }
}
