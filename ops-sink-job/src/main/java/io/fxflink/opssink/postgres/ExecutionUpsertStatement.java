package io.fxflink.opssink.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;

/**
 * Upserts one lifecycle record into {@code executions}. Idempotent and order-independent, so
 * at-least-once delivery, replays after failover and out-of-order arrival all end in the same row:
 *
 * <ul>
 *   <li>state columns (status, attempt, seq, duration, error, executor, updated_at) come from the
 *       record with the highest {@code seq}; an equal or lower seq leaves them as they are;
 *   <li>{@code queued_at} keeps the earliest QUEUED time, {@code started_at} the latest STARTED
 *       time (the current attempt), {@code finished_at} the latest outcome time — LEAST/GREATEST
 *       ignore NULLs and do not depend on arrival order;
 *   <li>the chain columns (trigger, causation, root) never change for an execution; the first
 *       non-null value is kept.
 * </ul>
 */
public final class ExecutionUpsertStatement implements JdbcQueryStatement<ExecutionRow> {
    private static final long serialVersionUID = 1L;

    static final String SQL =
            "INSERT INTO executions (execution_id, service, service_version, status, attempt, seq,"
                    + " trigger_event_id, trigger_event_type, causation_id, root_event_id,"
                    + " causation_depth, queued_at, started_at, finished_at, duration_ms, error,"
                    + " executor_id, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (execution_id) DO UPDATE SET"
                    + newer("service")
                    + ","
                    + newer("service_version")
                    + ","
                    + newer("status")
                    + ","
                    + newer("attempt")
                    + ","
                    + newer("duration_ms")
                    + ","
                    + newer("error")
                    + ","
                    + newer("executor_id")
                    + ","
                    + newer("updated_at")
                    + ", trigger_event_id = COALESCE(executions.trigger_event_id,"
                    + " EXCLUDED.trigger_event_id)"
                    + ", trigger_event_type = COALESCE(executions.trigger_event_type,"
                    + " EXCLUDED.trigger_event_type)"
                    + ", causation_id = COALESCE(executions.causation_id, EXCLUDED.causation_id)"
                    + ", root_event_id = COALESCE(executions.root_event_id, EXCLUDED.root_event_id)"
                    + ", causation_depth = COALESCE(executions.causation_depth,"
                    + " EXCLUDED.causation_depth)"
                    + ", queued_at = LEAST(executions.queued_at, EXCLUDED.queued_at)"
                    + ", started_at = GREATEST(executions.started_at, EXCLUDED.started_at)"
                    + ", finished_at = GREATEST(executions.finished_at, EXCLUDED.finished_at)"
                    // seq last: the CASEs above compare against the old seq
                    + ", seq = GREATEST(executions.seq, EXCLUDED.seq)";

    private static String newer(String column) {
        return " "
                + column
                + " = CASE WHEN EXCLUDED.seq > executions.seq THEN EXCLUDED."
                + column
                + " ELSE executions."
                + column
                + " END";
    }

    @Override
    public String query() {
        return SQL;
    }

    @Override
    public void statement(PreparedStatement ps, ExecutionRow r) throws SQLException {
        ps.setString(1, r.executionId);
        ps.setString(2, r.service);
        ps.setString(3, r.serviceVersion);
        ps.setString(4, r.status);
        ps.setInt(5, r.attempt);
        ps.setLong(6, r.seq);
        ps.setString(7, r.triggerEventId);
        ps.setString(8, r.triggerEventType);
        ps.setString(9, r.causationId);
        ps.setString(10, r.rootEventId);
        ps.setInt(11, r.causationDepth);
        setTimestamp(ps, 12, r.queuedAtMillis);
        setTimestamp(ps, 13, r.startedAtMillis);
        setTimestamp(ps, 14, r.finishedAtMillis);
        if (r.durationMs == null) {
            ps.setNull(15, Types.BIGINT);
        } else {
            ps.setLong(15, r.durationMs);
        }
        ps.setString(16, r.error);
        ps.setString(17, r.executorId);
        setTimestamp(ps, 18, r.updatedAtMillis);
    }

    static void setTimestamp(PreparedStatement ps, int index, Long millis) throws SQLException {
        if (millis == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            // a Timestamp is an instant; the driver sends it with the session zone (timestamptz)
            ps.setTimestamp(index, new Timestamp(millis));
        }
    }
}
