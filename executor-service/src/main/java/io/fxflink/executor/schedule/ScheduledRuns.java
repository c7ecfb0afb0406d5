package io.fxflink.executor.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import javax.sql.DataSource;

/**
 * Runs asked for by {@code context.scheduler.retry} (table {@code executor_scheduled_runs}). The id
 * is deterministic per execution and call, so a re-run of the same execution after a crash does not
 * schedule the same run twice.
 */
public final class ScheduledRuns {
    public static final String EVENT_ID_PREFIX = "fx-scheduled-";

    private final DataSource ds;

    public ScheduledRuns(DataSource ds) {
        this.ds = ds;
    }

    /** A run for {@code service}; returns its id (an existing one with the same id is kept). */
    public String schedule(
            String id,
            String service,
            RetrySchedule when,
            String parametersJson,
            String executionId,
            String triggerEventId,
            String rootEventId)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO executor_scheduled_runs (id, service, run_at,"
                                        + " parameters, cron, created_by, event_id,"
                                        + " trigger_event_id, root_event_id) VALUES (?, ?, ?, ?,"
                                        + " ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, id);
            ps.setString(2, service);
            ps.setTimestamp(3, Timestamp.from(when.runAt()));
            ps.setString(4, parametersJson);
            ps.setString(5, when.cron());
            ps.setString(6, executionId);
            ps.setString(7, EVENT_ID_PREFIX + id);
            ps.setString(8, triggerEventId);
            ps.setString(9, rootEventId);
            ps.executeUpdate();
        }
        return id;
    }
}
