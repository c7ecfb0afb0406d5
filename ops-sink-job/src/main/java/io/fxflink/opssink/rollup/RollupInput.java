package io.fxflink.opssink.rollup;

import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import java.io.Serializable;

/**
 * The part of an attempt outcome (SUCCEEDED, FAILED, TIMED_OUT) that the per-minute rollup needs.
 * The record id lets the window count each outcome once even when it was delivered twice.
 */
public final class RollupInput implements Serializable {
    private static final long serialVersionUID = 1L;

    public String service;
    public String recordId;
    public String status;

    /** -1 when the record had no duration. */
    public long durationMs;

    public long eventTimeMillis;

    public RollupInput() {}

    public RollupInput(
            String service, String recordId, String status, long durationMs, long eventTime) {
        this.service = service;
        this.recordId = recordId;
        this.status = status;
        this.durationMs = durationMs;
        this.eventTimeMillis = eventTime;
    }

    /** Attempt outcomes count in the rollup; other transitions do not. */
    public static boolean counts(ExecutionStatus s) {
        return s == ExecutionStatus.SUCCEEDED
                || s == ExecutionStatus.FAILED
                || s == ExecutionStatus.TIMED_OUT;
    }

    public static RollupInput of(ExecutionLifecycleRecord r) {
        return new RollupInput(
                r.service(),
                r.recordId(),
                r.status().name(),
                r.durationMs() == null ? -1 : r.durationMs(),
                r.time().toEpochMilli());
    }
}
