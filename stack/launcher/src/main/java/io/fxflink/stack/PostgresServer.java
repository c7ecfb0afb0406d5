package io.fxflink.stack;

import io.fxflink.stack.internal.Probes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * PostgreSQL from zonky's embedded binaries (a real postgres server process; zonky unpacks the
 * binaries and runs initdb/pg_ctl). Data persists in the stack's working folder.
 */
final class PostgresServer implements ManagedServer {
    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final StackSettings settings;
    private final Path dir;
    private EmbeddedPostgres postgres;

    PostgresServer(StackSettings settings) {
        this.settings = settings;
        this.dir = settings.serverDir(ServerKind.POSTGRES);
    }

    @Override
    public ServerKind kind() {
        return ServerKind.POSTGRES;
    }

    @Override
    public Endpoints endpoints() {
        return new Endpoints()
                .with(
                        Endpoints.PG_URL,
                        "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/postgres")
                .with(Endpoints.PG_USER, USER)
                .with(Endpoints.PG_PASSWORD, PASSWORD);
    }

    @Override
    public boolean answers() {
        if (!Probes.tcp("127.0.0.1", settings.postgresPort())) {
            return false;
        }
        Endpoints e = endpoints();
        try (Connection c =
                DriverManager.getConnection(
                        e.postgresUrl(), e.postgresUser(), e.postgresPassword())) {
            return c.isValid(2);
        } catch (Exception ex) {
            return false;
        }
    }

    @Override
    public Endpoints start(Duration timeout) throws Exception {
        Path data = dir.resolve("data");
        Path work = dir.resolve("binaries");
        Files.createDirectories(work);
        postgres =
                EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(work.toFile())
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .setPort(settings.postgresPort())
                        .setPGStartupWait(timeout)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "on")
                        .start();
        return endpoints();
    }

    @Override
    public long pid() {
        Path pidFile = dir.resolve("data/postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("stopping PostgreSQL failed", e);
            }
            postgres = null;
        }
    }
}
