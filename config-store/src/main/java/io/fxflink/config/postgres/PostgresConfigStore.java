package io.fxflink.config.postgres;

import io.fxflink.config.ConfigKeys;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.ConfigStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The embedded default config store: table {@code config_entries} (migration V200). Shared by every
 * process that points at the same database, so N executors and the manager see one truth.
 */
public final class PostgresConfigStore implements ConfigStore {
    private final DataSource dataSource;

    public PostgresConfigStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<String> get(ConfigScope scope, String key) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(key, "config key");
        return Sql.query(
                dataSource,
                "read config '" + key + "'",
                "SELECT value FROM config_entries WHERE scope_level = ? AND scope_name = ? AND"
                        + " key = ?",
                ps -> {
                    bindScope(ps, scope);
                    ps.setString(3, key);
                },
                rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.empty());
    }

    @Override
    public Map<String, String> list(ConfigScope scope) {
        ConfigKeys.scope(scope);
        return Sql.query(
                dataSource,
                "list config",
                "SELECT key, value FROM config_entries WHERE scope_level = ? AND scope_name = ?",
                ps -> bindScope(ps, scope),
                rs -> {
                    Map<String, String> out = new TreeMap<>();
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                    return out;
                });
    }

    @Override
    public void put(ConfigScope scope, String key, String value) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(key, "config key");
        ConfigKeys.value(value, "config value");
        Sql.update(
                dataSource,
                "write config '" + key + "'",
                "INSERT INTO config_entries (scope_level, scope_name, key, value, updated_at)"
                        + " VALUES (?, ?, ?, ?, now()) ON CONFLICT (scope_level, scope_name, key)"
                        + " DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
                ps -> {
                    bindScope(ps, scope);
                    ps.setString(3, key);
                    ps.setString(4, value);
                });
    }

    @Override
    public boolean delete(ConfigScope scope, String key) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(key, "config key");
        return Sql.update(
                        dataSource,
                        "delete config '" + key + "'",
                        "DELETE FROM config_entries WHERE scope_level = ? AND scope_name = ? AND"
                                + " key = ?",
                        ps -> {
                            bindScope(ps, scope);
                            ps.setString(3, key);
                        })
                > 0;
    }

    static void bindScope(PreparedStatement ps, ConfigScope scope) throws SQLException {
        ps.setString(1, scope.level().name());
        ps.setString(2, scope.name());
    }

    /** Tiny JDBC helpers: one connection per call from the pool, errors with context. */
    static final class Sql {
        interface Binder {
            void bind(PreparedStatement ps) throws SQLException;
        }

        interface Reader<T> {
            T read(ResultSet rs) throws SQLException;
        }

        private Sql() {}

        static <T> T query(
                DataSource ds, String what, String sql, Binder binder, Reader<T> reader) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return reader.read(rs);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
            }
        }

        static int update(DataSource ds, String what, String sql, Binder binder) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
            }
        }
    }
}
