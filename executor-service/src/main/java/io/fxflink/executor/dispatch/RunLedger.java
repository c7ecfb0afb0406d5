package io.fxflink.executor.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The executors' shared memory in PostgreSQL: which executions completed (never run again) and
 * which are claimed by a running executor (found again after a crash: the next run is attempt + 1).
 */
public final class RunLedger {
    private final DataSource ds;

    public RunLedger(DataSource ds) {
        this.ds = ds;
    }

    /** The final status when the execution already completed. */
    public Optional<String> completedStatus(String executionId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT status FROM executor_completed_executions WHERE"
                                        + " execution_id = ?")) {
            ps.setString(1, executionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
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

    /** Final outcome: recorded and the claim released, in one transaction. */
    public void complete(
            String executionId, String service, String status, int attempt, String executorId)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ins =
                            c.prepareStatement(
                                    "INSERT INTO executor_completed_executions (execution_id,"
                                            + " service, status, attempt, executor_id) VALUES (?,"
                                            + " ?, ?, ?, ?) ON CONFLICT (execution_id) DO"
                                            + " NOTHING");
                    PreparedStatement del =
                            c.prepareStatement(
                                    "DELETE FROM executor_claims WHERE execution_id = ?")) {
                ins.setString(1, executionId);
                ins.setString(2, service);
                ins.setString(3, status);
                ins.setInt(4, attempt);
                ins.setString(5, executorId);
                ins.executeUpdate();
                del.setString(1, executionId);
                del.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
