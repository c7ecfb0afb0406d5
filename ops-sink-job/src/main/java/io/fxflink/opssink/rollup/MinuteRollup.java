package io.fxflink.opssink.rollup;

import java.io.Serializable;
import java.util.Objects;

/** One row of {@code execution_rollups_minute}. Percentiles are null when no duration was seen. */
public final class MinuteRollup implements Serializable {
    private static final long serialVersionUID = 1L;

    public String service;
    public long minuteStartMillis;
    public long total;
    public long succeeded;
    public long failed;
    public long timedOut;
    public Long p50Ms;
    public Long p95Ms;

    public MinuteRollup() {}

    public MinuteRollup(
            String service,
            long minuteStartMillis,
            long total,
            long succeeded,
            long failed,
            long timedOut,
            Long p50Ms,
            Long p95Ms) {
        this.service = service;
        this.minuteStartMillis = minuteStartMillis;
        this.total = total;
        this.succeeded = succeeded;
        this.failed = failed;
        this.timedOut = timedOut;
        this.p50Ms = p50Ms;
        this.p95Ms = p95Ms;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinuteRollup m
                && service.equals(m.service)
                && minuteStartMillis == m.minuteStartMillis
                && total == m.total
                && succeeded == m.succeeded
                && failed == m.failed
                && timedOut == m.timedOut
                && Objects.equals(p50Ms, m.p50Ms)
                && Objects.equals(p95Ms, m.p95Ms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, minuteStartMillis, total);
    }

    @Override
    public String toString() {
        return "MinuteRollup["
                + service
                + " @"
                + java.time.Instant.ofEpochMilli(minuteStartMillis)
                + " total="
                + total
                + " ok="
                + succeeded
                + " failed="
                + failed
                + " timedOut="
                + timedOut
                + " p50="
                + p50Ms
                + " p95="
                + p95Ms
                + "]";
    }
}
