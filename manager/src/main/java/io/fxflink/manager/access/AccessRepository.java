package io.fxflink.manager.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for projects and API tokens. */
final class AccessRepository {

    Optional<Principal> findActiveByHash(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT t.id, t.name, r.project, r.role FROM api_tokens t"
                                + " LEFT JOIN api_token_roles r ON r.token_id = t.id"
                                + " WHERE t.token_sha256 = ? AND t.revoked_at IS NULL")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                String id = null;
                String name = null;
                Map<String, Role> roles = new LinkedHashMap<>();
                while (rs.next()) {
                    id = rs.getString(1);
                    name = rs.getString(2);
                    if (rs.getString(3) != null) {
                        roles.put(rs.getString(3), Role.parse(rs.getString(4)));
                    }
                }
                return id == null ? Optional.empty() : Optional.of(new Principal(id, name, roles));
            }
        }
    }

    boolean anyToken(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM api_tokens)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    boolean tokenHashExists(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM api_tokens WHERE token_sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Serialises first-start bootstrap across manager instances for this transaction. */
    void lockBootstrap(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(7100001)");
        }
    }

    void insertToken(Connection c, String id, String name, String sha256, Map<String, Role> roles)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO api_tokens (id, name, token_sha256) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, sha256);
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO api_token_roles (token_id, project, role) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, Role> e : roles.entrySet()) {
                ps.setString(1, id);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue().wire());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    List<TokenInfo> listTokens(Connection c) throws SQLException {
        Map<String, TokenInfo> byId = new LinkedHashMap<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT t.id, t.name, t.created_at, t.revoked_at, r.project, r.role"
                                        + " FROM api_tokens t LEFT JOIN api_token_roles r"
                                        + " ON r.token_id = t.id ORDER BY t.created_at, t.id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                TokenInfo info =
                        byId.computeIfAbsent(
                                id,
                                k -> {
                                    try {
                                        return new TokenInfo(
                                                k,
                                                rs.getString(2),
                                                new LinkedHashMap<>(),
                                                instant(rs, 3),
                                                instant(rs, 4));
                                    } catch (SQLException e) {
                                        throw new IllegalStateException(e);
                                    }
                                });
                if (rs.getString(5) != null) {
                    info.roles().put(rs.getString(5), rs.getString(6));
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    Optional<Map<String, Role>> rolesOf(Connection c, String tokenId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT r.project, r.role FROM api_tokens t LEFT JOIN api_token_roles r"
                                + " ON r.token_id = t.id WHERE t.id = ?")) {
            ps.setString(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                boolean found = false;
                Map<String, Role> roles = new LinkedHashMap<>();
                while (rs.next()) {
                    found = true;
                    if (rs.getString(1) != null) {
                        roles.put(rs.getString(1), Role.parse(rs.getString(2)));
                    }
                }
                return found ? Optional.of(roles) : Optional.empty();
            }
        }
    }

    boolean revoke(Connection c, String tokenId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE api_tokens SET revoked_at = now() WHERE id = ? AND revoked_at IS"
                                + " NULL")) {
            ps.setString(1, tokenId);
            return ps.executeUpdate() == 1;
        }
    }

    boolean projectExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM projects WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    boolean insertProject(Connection c, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO projects (name) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }

    List<ProjectInfo> listProjects(Connection c) throws SQLException {
        List<ProjectInfo> out = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT name, created_at FROM projects ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ProjectInfo(rs.getString(1), instant(rs, 2)));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        java.sql.Timestamp ts = rs.getTimestamp(col);
        return ts == null ? null : ts.toInstant();
    }
}
