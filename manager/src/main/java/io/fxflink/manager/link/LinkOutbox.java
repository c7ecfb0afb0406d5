package io.fxflink.manager.link;

import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactional outbox of the links topic. Changes are appended in the same transaction as the
 * table change they describe; {@link OutboxRelay} publishes them.
 */
public final class LinkOutbox {

    /** Next version for a value on the links topic (one sequence: monotonic across deletes). */
    public long nextVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT nextval('fx_links_version')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void append(Connection c, LinkTopicRecord record) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO links_outbox (topic_key, value) VALUES (?, ?)")) {
            ps.setString(1, record.key().asString());
            ps.setBytes(2, LinkTopicCodec.encodeValue(record));
            ps.executeUpdate();
        }
    }

    /** One unsent row. */
    record Pending(long seq, String key, byte[] value) {}

    /**
     * Takes the relay lock for this transaction; false when another relay (another manager
     * instance) holds it, so only one publishes and the topic keeps the outbox order.
     */
    boolean tryLockRelay(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_try_advisory_xact_lock(7100002)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    List<Pending> unsent(Connection c, int limit) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT seq, topic_key, value FROM links_outbox WHERE sent_at IS NULL"
                                + " ORDER BY seq LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getLong(1), rs.getString(2), rs.getBytes(3)));
                }
            }
        }
        return out;
    }

    void markSent(Connection c, long upToSeqInclusive, long fromSeq) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE links_outbox SET sent_at = now() WHERE seq BETWEEN ? AND ? AND"
                                + " sent_at IS NULL")) {
            ps.setLong(1, fromSeq);
            ps.setLong(2, upToSeqInclusive);
            ps.executeUpdate();
        }
    }

    /** Rows not yet published (for health and tests). */
    public long backlog(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM links_outbox WHERE sent_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
