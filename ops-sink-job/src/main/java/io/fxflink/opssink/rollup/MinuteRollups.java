package io.fxflink.opssink.rollup;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Computes one minute's rollup from its outcomes (pure; the window function delegates here). */
public final class MinuteRollups {
    private MinuteRollups() {}

    /**
     * Counts each record id once (a duplicate delivery is the same outcome) and takes nearest-rank
     * percentiles, the same definition as PostgreSQL's {@code percentile_disc}.
     */
    public static MinuteRollup compute(
            String service, long minuteStartMillis, Collection<RollupInput> inputs) {
        Map<String, RollupInput> unique = new LinkedHashMap<>();
        for (RollupInput in : inputs) {
            unique.putIfAbsent(in.recordId, in);
        }
        long succeeded = 0;
        long failed = 0;
        long timedOut = 0;
        long[] durations = new long[unique.size()];
        int n = 0;
        for (RollupInput in : unique.values()) {
            switch (in.status) {
                case "SUCCEEDED" -> succeeded++;
                case "FAILED" -> failed++;
                case "TIMED_OUT" -> timedOut++;
                default ->
                        throw new IllegalArgumentException(
                                "not an attempt outcome: "
                                        + in.status
                                        + " (record "
                                        + in.recordId
                                        + ")");
            }
            if (in.durationMs >= 0) {
                durations[n++] = in.durationMs;
            }
        }
        long[] sorted = Arrays.copyOf(durations, n);
        Arrays.sort(sorted);
        return new MinuteRollup(
                service,
                minuteStartMillis,
                unique.size(),
                succeeded,
                failed,
                timedOut,
                percentile(sorted, 0.50),
                percentile(sorted, 0.95));
    }

    /** Nearest rank: the smallest value whose cumulative share is at least {@code q}. */
    static Long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
