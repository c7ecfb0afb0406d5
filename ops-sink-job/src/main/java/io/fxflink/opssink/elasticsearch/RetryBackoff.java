package io.fxflink.opssink.elasticsearch;

import java.io.Serializable;

/** Bounded exponential backoff: initial, doubling per consecutive failure, capped at max. */
public record RetryBackoff(long initialMillis, long maxMillis) implements Serializable {
    public RetryBackoff {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException(
                    "retry backoff needs 0 < initial <= max, was "
                            + initialMillis
                            + " / "
                            + maxMillis
                            + " ms");
        }
    }

    /** Delay before the retry that follows the {@code failuresInARow}-th failure (1-based). */
    public long delayMillis(int failuresInARow) {
        int shift = Math.min(Math.max(failuresInARow, 1) - 1, 30);
        return Math.min(maxMillis, initialMillis << shift);
    }
}
