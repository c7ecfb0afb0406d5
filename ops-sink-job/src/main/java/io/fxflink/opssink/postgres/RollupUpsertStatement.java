package io.fxflink.opssink.postgres;

import io.fxflink.opssink.rollup.MinuteRollup;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;

/**
 * Upserts one per-service per-minute rollup. Every window firing carries the complete totals of its
 * minute and totals only grow with late outcomes, so a row is replaced unless it already holds a
 * larger total (an older firing that arrives after a newer one changes nothing).
 */
public final class RollupUpsertStatement implements JdbcQueryStatement<MinuteRollup> {
    private static final long serialVersionUID = 1L;

    static final String SQL =
            "INSERT INTO execution_rollups_minute (service, minute, total, succeeded, failed,"
                    + " timed_out, p50_ms, p95_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (service, minute) DO UPDATE SET total = EXCLUDED.total,"
                    + " succeeded = EXCLUDED.succeeded, failed = EXCLUDED.failed,"
                    + " timed_out = EXCLUDED.timed_out, p50_ms = EXCLUDED.p50_ms,"
                    + " p95_ms = EXCLUDED.p95_ms"
                    + " WHERE execution_rollups_minute.total <= EXCLUDED.total";

    @Override
    public String query() {
        return SQL;
    }

    @Override
    public void statement(PreparedStatement ps, MinuteRollup r) throws SQLException {
        ps.setString(1, r.service);
        ExecutionUpsertStatement.setTimestamp(ps, 2, r.minuteStartMillis);
        ps.setLong(3, r.total);
        ps.setLong(4, r.succeeded);
        ps.setLong(5, r.failed);
        ps.setLong(6, r.timedOut);
        setLong(ps, 7, r.p50Ms);
        setLong(ps, 8, r.p95Ms);
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
