package io.fxflink.executor.context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** {@code context.state}: per-service JSON values kept between runs (table service_state). */
public final class ServiceState {
    private final DataSource ds;

    public ServiceState(DataSource ds) {
        this.ds = ds;
    }

    public Optional<String> get(String service, String key) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT value FROM service_state WHERE service = ? AND key = ?")) {
            ps.setString(1, service);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void put(String service, String key, String json) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO service_state (service, key, value) VALUES (?, ?, ?)"
                                        + " ON CONFLICT (service, key) DO UPDATE SET value ="
                                        + " EXCLUDED.value, updated_at = now()")) {
            ps.setString(1, service);
            ps.setString(2, key);
            ps.setString(3, json);
            ps.executeUpdate();
        }
    }

    public boolean delete(String service, String key) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "DELETE FROM service_state WHERE service = ? AND key = ?")) {
            ps.setString(1, service);
            ps.setString(2, key);
            return ps.executeUpdate() > 0;
        }
    }
}
