package io.fxflink.manager.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fxflink.manager.api.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** SQL for services and their versions. */
public final class ServiceRepository {

    /** A service row. */
    public record ServiceRow(
            String name,
            String project,
            boolean active,
            String defaultVersion,
            Instant createdAt,
            Instant updatedAt) {}

    /** A version row with its manifest. */
    public record VersionRow(
            String service,
            String version,
            String sha256,
            String packageKey,
            long sizeBytes,
            Manifest manifest,
            Instant createdAt) {}

    public Optional<ServiceRow> find(Connection c, String name, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT name, project, active, default_version, created_at, updated_at"
                                + " FROM services WHERE name = ?"
                                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(service(rs)) : Optional.empty();
            }
        }
    }

    List<ServiceRow> list(Connection c, Collection<String> projects) throws SQLException {
        String sql =
                "SELECT name, project, active, default_version, created_at, updated_at FROM"
                        + " services"
                        + (projects == null ? "" : " WHERE project = ANY (?)")
                        + " ORDER BY name";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (projects != null) {
                ps.setArray(1, c.createArrayOf("text", projects.toArray()));
            }
            List<ServiceRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(service(rs));
                }
            }
            return out;
        }
    }

    /** Inserts the service unless it exists; returns true when inserted. */
    boolean insertIfAbsent(Connection c, String name, String project) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO services (name, project) VALUES (?, ?) ON CONFLICT DO"
                                + " NOTHING")) {
            ps.setString(1, name);
            ps.setString(2, project);
            return ps.executeUpdate() == 1;
        }
    }

    void update(Connection c, String name, boolean active, String defaultVersion)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE services SET active = ?, default_version = ?, updated_at = now()"
                                + " WHERE name = ?")) {
            ps.setBoolean(1, active);
            ps.setString(2, defaultVersion);
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }

    boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM services WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }

    public List<VersionRow> versions(Connection c, String service) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT service, version, sha256, package_key, size_bytes, manifest,"
                                + " created_at FROM service_versions WHERE service = ?"
                                + " ORDER BY created_at, version")) {
            ps.setString(1, service);
            List<VersionRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(version(rs));
                }
            }
            return out;
        }
    }

    public Optional<VersionRow> version(Connection c, String service, String version)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT service, version, sha256, package_key, size_bytes, manifest,"
                                + " created_at FROM service_versions WHERE service = ? AND"
                                + " version = ?")) {
            ps.setString(1, service);
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(version(rs)) : Optional.empty();
            }
        }
    }

    void insertVersion(Connection c, String service, InspectedPackage pkg) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO service_versions (service, version, sha256, package_key,"
                                + " size_bytes, manifest) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setString(1, service);
            ps.setString(2, pkg.manifest().version());
            ps.setString(3, pkg.sha256());
            ps.setString(4, pkg.objectKey());
            ps.setLong(5, pkg.sizeBytes());
            ps.setString(6, Json.mapper().writeValueAsString(pkg.manifest()));
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode manifest", e);
        }
    }

    /** Services of these projects (names only), e.g. to filter executions by access. */
    public List<String> namesIn(Connection c, Collection<String> projects) throws SQLException {
        List<String> out = new ArrayList<>();
        for (ServiceRow r : list(c, projects)) {
            out.add(r.name());
        }
        return out;
    }

    private static ServiceRow service(ResultSet rs) throws SQLException {
        return new ServiceRow(
                rs.getString(1),
                rs.getString(2),
                rs.getBoolean(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant(),
                rs.getTimestamp(6).toInstant());
    }

    private static VersionRow version(ResultSet rs) throws SQLException {
        try {
            return new VersionRow(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getLong(5),
                    Json.mapper().readValue(rs.getString(6), Manifest.class),
                    rs.getTimestamp(7).toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "stored manifest of " + rs.getString(1) + " " + rs.getString(2) + " unreadable",
                    e);
        }
    }
}
