package io.fxflink.manager.job;

/**
 * Outcome of stop-with-savepoint: {@code status} COMPLETED with {@code savepointPath}, or
 * IN_PROGRESS when it took longer than the manager waits (poll {@code statusUrl}).
 */
public record StopResult(
        String jobId, String triggerId, String status, String savepointPath, String statusUrl) {
    boolean completed() {
        return "COMPLETED".equals(status);
    }
}
