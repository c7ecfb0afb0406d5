package io.fxflink.manager.job;

import java.time.Instant;

/**
 * A Flink job as listed: id, name, state, times and its last completed checkpoint (null when it has
 * none yet or the cluster no longer keeps its statistics).
 */
public record JobView(
        String id,
        String name,
        String state,
        Instant startTime,
        Instant endTime,
        Long durationMs,
        Checkpoint lastCheckpoint) {

    /** A completed checkpoint: its id, when it completed and where it is stored. */
    public record Checkpoint(long id, Instant completedAt, String externalPath) {}
}
