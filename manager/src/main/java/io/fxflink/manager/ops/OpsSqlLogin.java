package io.fxflink.manager.ops;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fxflink.schema.FxSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool ops SQL runs on: a login role of its own, {@value #ROLE}, member of {@code
 * fx_ops_reader} (SELECT on the ops tables only), read-only by default, at most a few connections.
 * User SQL then never runs on the manager's own pooled connections, whose sessions hold the
 * manager's full rights.
 *
 * <p>The manager creates the role when its database user may (CREATEROLE). Its password is derived
 * from the manager's own database password (SHA-256, so it is not guessable without that), so every
 * manager instance on the same cluster computes the same one and none locks the others out. When
 * the role cannot be created, ops SQL falls back to {@code SET LOCAL ROLE} on the main pool with a
 * WARN.
 */
public final class OpsSqlLogin {
    private static final Logger LOG = LoggerFactory.getLogger(OpsSqlLogin.class);
    public static final String ROLE = "fx_ops_sql";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String DUPLICATE_OBJECT = "42710";

    private OpsSqlLogin() {}

    /**
     * Ensures the login role exists with the derived password and opens a small pool for it.
     *
     * @param admin the manager's main pool (used once, to create or update the role)
     * @return the pool, or empty when the role could not be provisioned
     */
    public static Optional<HikariDataSource> open(
            DataSource admin, String url, String adminPassword) {
        String password = derivePassword(adminPassword);
        try (Connection c = admin.getConnection()) {
            c.setAutoCommit(false);
            try {
                // managers starting together on one database take turns (role DDL is transactional)
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(7100002)");
                }
                ensureRole(c, password);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                LOG.warn(
                        "Cannot create the ops SQL login role {} (the manager's database user needs"
                                + " CREATEROLE): ops SQL runs on the main pool with SET LOCAL ROLE"
                                + " {}",
                        ROLE,
                        FxSchema.OPS_READER_ROLE);
                return Optional.empty();
            }
            throw new IllegalStateException(
                    "creating the ops SQL login role " + ROLE + " failed", e);
        }
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(url);
        h.setUsername(ROLE);
        h.setPassword(password);
        h.setMaximumPoolSize(2);
        h.setMinimumIdle(0);
        h.setPoolName("fx-manager-ops-sql");
        h.setConnectionTimeout(10_000);
        h.setReadOnly(true);
        LOG.info("Ops SQL runs as login role {} (member of {})", ROLE, FxSchema.OPS_READER_ROLE);
        return Optional.of(new HikariDataSource(h));
    }

    private static void ensureRole(Connection c, String password) throws SQLException {
        boolean exists;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, ROLE);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        // DDL takes no bind parameters: the password is hex, so inlining it is safe
        String attributes =
                " LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
                        + " CONNECTION LIMIT 32 PASSWORD '"
                        + password
                        + "'";
        try (Statement s = c.createStatement()) {
            if (!exists) {
                try {
                    s.execute("CREATE ROLE " + ROLE + attributes);
                } catch (SQLException e) {
                    // another manager (maybe of another database on this cluster) was first
                    if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            s.execute("ALTER ROLE " + ROLE + attributes);
            s.execute("GRANT " + FxSchema.OPS_READER_ROLE + " TO " + ROLE);
            s.execute("ALTER ROLE " + ROLE + " SET default_transaction_read_only = on");
        }
    }

    static String derivePassword(String adminPassword) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d =
                    md.digest(
                            ("fx-ops-sql login role of " + adminPassword)
                                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
