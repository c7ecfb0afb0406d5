package io.fxflink.manager.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** SQL over the ops tables the ops sink writes. */
final class ExecutionRepository {
    private static final String COLUMNS =
            "e.execution_id, e.service, e.service_version, e.status, e.attempt, e.trigger_event_id,"
                    + " e.trigger_event_type, e.causation_id, e.root_event_id, e.causation_depth,"
                    + " e.queued_at, e.started_at, e.finished_at, e.duration_ms, e.error,"
                    + " e.executor_id, e.updated_at";

    /** Only executions of services in the caller's projects (null = every project). */
    private static final String VISIBLE =
            " AND (?::text[] IS NULL OR e.service IN (SELECT name FROM services WHERE project ="
                    + " ANY (?::text[])))";

    static final int MAX_CHAIN = 10_000;

    List<ExecutionView> list(Connection c, ExecutionFilter f, Collection<String> projects)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT " + COLUMNS + " FROM executions e WHERE true");
        List<Object> args = new ArrayList<>();
        add(sql, args, " AND e.service = ?", f.service());
        add(sql, args, " AND e.status = ?", f.status());
        add(sql, args, " AND e.updated_at >= ?", f.from());
        add(sql, args, " AND e.updated_at < ?", f.to());
        add(sql, args, " AND e.trigger_event_id = ?", f.triggerEventId());
        add(sql, args, " AND e.root_event_id = ?", f.rootEventId());
        add(sql, args, " AND e.causation_id = ?", f.causationId());
        sql.append(VISIBLE).append(" ORDER BY e.updated_at DESC, e.execution_id LIMIT ? OFFSET ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = bind(ps, args);
            i = bindProjects(c, ps, i, projects);
            ps.setInt(i++, f.limit());
            ps.setInt(i, f.offset());
            return read(ps);
        }
    }

    Optional<ExecutionView> find(Connection c, String id, Collection<String> projects)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM executions e WHERE e.execution_id = ?"
                                + VISIBLE)) {
            ps.setString(1, id);
            bindProjects(c, ps, 2, projects);
            return read(ps).stream().findFirst();
        }
    }

    /**
     * Every execution an event caused, transitively: executions triggered by it, then executions
     * triggered by events those emitted (their causation id is the parent's trigger event id).
     */
    List<ExecutionView> causedBy(Connection c, String eventId, Collection<String> projects)
            throws SQLException {
        String sql =
                "WITH RECURSIVE chain AS ("
                        + " SELECT execution_id, trigger_event_id, 0 AS hop FROM executions"
                        + " WHERE trigger_event_id = ?"
                        + " UNION"
                        + " SELECT x.execution_id, x.trigger_event_id, chain.hop + 1 FROM executions x"
                        + " JOIN chain ON x.causation_id = chain.trigger_event_id"
                        + " WHERE chain.hop < 64)"
                        + " SELECT DISTINCT ON (e.execution_id) "
                        + COLUMNS
                        + " FROM executions e JOIN chain ON chain.execution_id = e.execution_id"
                        + " WHERE true"
                        + VISIBLE
                        + " ORDER BY e.execution_id LIMIT "
                        + MAX_CHAIN;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, eventId);
            bindProjects(c, ps, 2, projects);
            List<ExecutionView> rows = read(ps);
            rows.sort(
                    java.util.Comparator.comparing(
                                    (ExecutionView v) ->
                                            v.causationDepth() == null ? 0 : v.causationDepth())
                            .thenComparing(
                                    v -> v.queuedAt() == null ? v.updatedAt() : v.queuedAt()));
            return rows;
        }
    }

    private static void add(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            args.add(value);
        }
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object a : args) {
            if (a instanceof Instant t) {
                ps.setTimestamp(i++, Timestamp.from(t));
            } else {
                ps.setString(i++, (String) a);
            }
        }
        return i;
    }

    private static int bindProjects(
            Connection c, PreparedStatement ps, int i, Collection<String> projects)
            throws SQLException {
        java.sql.Array arr = projects == null ? null : c.createArrayOf("text", projects.toArray());
        ps.setArray(i++, arr);
        ps.setArray(i++, arr);
        return i;
    }

    private static List<ExecutionView> read(PreparedStatement ps) throws SQLException {
        List<ExecutionView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(
                        new ExecutionView(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getInt(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getString(9),
                                (Integer) rs.getObject(10),
                                ts(rs, 11),
                                ts(rs, 12),
                                ts(rs, 13),
                                (Long) rs.getObject(14),
                                rs.getString(15),
                                rs.getString(16),
                                ts(rs, 17)));
            }
        }
        return out;
    }

    private static Instant ts(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
