package io.fxflink.executor.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The executors' shared memory in PostgreSQL: which executions completed (never run again, their
 * outcome published once more if the executor died before publishing it) and which are claimed by a
 * running executor (found again after a crash: the next run is attempt + 1).
 */
public final class RunLedger {
    private final DataSource ds;

    public RunLedger(DataSource ds) {
        this.ds = ds;
    }

    /**
     * The recorded outcome of a completed execution. {@code published} tells whether its terminal
     * lifecycle record (and dead letter) reached Kafka; it is written after the row is committed.
     */
    public record Completion(
            String status,
            int attempt,
            Instant finishedAt,
            long durationMs,
            String error,
            boolean published) {}

    /** The outcome when the execution already completed. */
    public Optional<Completion> completion(String executionId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT status, attempt, finished_at, duration_ms, error,"
                                        + " outcome_published FROM executor_completed_executions"
                                        + " WHERE execution_id = ?")) {
            ps.setString(1, executionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Completion(
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getTimestamp(3).toInstant(),
                                rs.getLong(4),
                                rs.getString(5),
                                rs.getBoolean(6)));
            }
        }
    }

    /**
     * Claims the execution for this executor and returns the attempt to run: the requested one, or
     * one more than an earlier claim left by an executor that did not finish it.
     */
    public int claim(String executionId, String service, int requestedAttempt, String executorId)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO executor_claims (execution_id, service, attempt,"
                                        + " executor_id) VALUES (?, ?, ?, ?) ON CONFLICT"
                                        + " (execution_id) DO UPDATE SET attempt ="
                                        + " GREATEST(executor_claims.attempt + 1,"
                                        + " EXCLUDED.attempt), executor_id = EXCLUDED.executor_id,"
                                        + " claimed_at = now() RETURNING attempt")) {
            ps.setString(1, executionId);
            ps.setString(2, service);
            ps.setInt(3, requestedAttempt);
            ps.setString(4, executorId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Records the attempt about to run (a retry after backoff). */
    public void updateAttempt(String executionId, int attempt) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE executor_claims SET attempt = ?, claimed_at = now() WHERE"
                                        + " execution_id = ?")) {
            ps.setInt(1, attempt);
            ps.setString(2, executionId);
            ps.executeUpdate();
        }
    }

    /**
     * Final outcome: recorded (not yet published) and the claim released, in one statement (one
     * round trip, atomic). From here on the execution never runs again.
     */
    public void complete(String executionId, String service, Completion outcome, String executorId)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "WITH released AS (DELETE FROM executor_claims WHERE execution_id"
                                        + " = ?) INSERT INTO executor_completed_executions"
                                        + " (execution_id, service, status, attempt, executor_id,"
                                        + " finished_at, duration_ms, error, outcome_published)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, false) ON CONFLICT"
                                        + " (execution_id) DO NOTHING")) {
            ps.setString(1, executionId);
            ps.setString(2, executionId);
            ps.setString(3, service);
            ps.setString(4, outcome.status());
            ps.setInt(5, outcome.attempt());
            ps.setString(6, executorId);
            ps.setTimestamp(7, Timestamp.from(outcome.finishedAt()));
            ps.setLong(8, outcome.durationMs());
            ps.setString(9, outcome.error());
            ps.executeUpdate();
        }
    }

    /** The terminal records of the outcome were acknowledged by Kafka. */
    public void markPublished(String executionId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE executor_completed_executions SET outcome_published = true"
                                        + " WHERE execution_id = ?")) {
            ps.setString(1, executionId);
            ps.executeUpdate();
        }
    }
}
