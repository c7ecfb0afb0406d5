package io.fxflink.manager.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.WeightedVersion;
import io.fxflink.manager.api.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** SQL for links. */
public final class LinkRepository {
    private static final String COLUMNS =
            "id, project, version, event_type, match, filter, service, service_version,"
                    + " weighted_versions, enabled, origin, updated_at";

    /** A stored link and where it came from ({@code api} or the service's {@code manifest}). */
    public record StoredLink(Link link, String origin) {}

    public Optional<StoredLink> find(Connection c, String id, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM links WHERE id = ?"
                                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<StoredLink> list(
            Connection c, Collection<String> projects, String service, String eventType)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM links WHERE true");
        List<Object> args = new ArrayList<>();
        if (projects != null) {
            sql.append(" AND project = ANY (?)");
            args.add(projects.toArray(String[]::new));
        }
        if (service != null) {
            sql.append(" AND service = ?");
            args.add(service);
        }
        if (eventType != null) {
            sql.append(" AND event_type = ?");
            args.add(eventType);
        }
        sql.append(" ORDER BY id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof String[] arr) {
                    ps.setArray(i + 1, c.createArrayOf("text", arr));
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            List<StoredLink> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    public List<StoredLink> byService(Connection c, String service) throws SQLException {
        return list(c, null, service, null);
    }

    public void upsert(Connection c, Link link, String origin) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO links ("
                                + COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)"
                                + " ON CONFLICT (id) DO UPDATE SET project = EXCLUDED.project,"
                                + " version = EXCLUDED.version, event_type = EXCLUDED.event_type,"
                                + " match = EXCLUDED.match, filter = EXCLUDED.filter,"
                                + " service = EXCLUDED.service,"
                                + " service_version = EXCLUDED.service_version,"
                                + " weighted_versions = EXCLUDED.weighted_versions,"
                                + " enabled = EXCLUDED.enabled, origin = EXCLUDED.origin,"
                                + " updated_at = EXCLUDED.updated_at")) {
            ps.setString(1, link.id());
            ps.setString(2, link.project());
            ps.setLong(3, link.version());
            ps.setString(4, link.eventType());
            ps.setString(5, link.match().name());
            ps.setString(6, link.filter());
            ps.setString(7, link.service());
            ps.setString(8, link.serviceVersion());
            if (link.weightedVersions() == null) {
                ps.setNull(9, Types.VARCHAR);
            } else {
                ps.setString(9, json(link.weightedVersions()));
            }
            ps.setBoolean(10, link.enabled());
            ps.setString(11, origin);
            ps.setTimestamp(12, Timestamp.from(link.updatedAt()));
            ps.executeUpdate();
        }
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM links WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static StoredLink read(ResultSet rs) throws SQLException {
        String weighted = rs.getString("weighted_versions");
        List<WeightedVersion> wv = null;
        if (weighted != null) {
            try {
                wv = Json.mapper().readValue(weighted, new TypeReference<>() {});
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(
                        "link " + rs.getString("id") + " has unreadable weighted_versions", e);
            }
        }
        Link link =
                new Link(
                        rs.getString("id"),
                        rs.getLong("version"),
                        rs.getString("project"),
                        rs.getString("event_type"),
                        MatchType.valueOf(rs.getString("match")),
                        rs.getString("filter"),
                        rs.getString("service"),
                        rs.getString("service_version"),
                        wv,
                        rs.getBoolean("enabled"),
                        rs.getTimestamp("updated_at").toInstant());
        return new StoredLink(link, rs.getString("origin"));
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }
}
