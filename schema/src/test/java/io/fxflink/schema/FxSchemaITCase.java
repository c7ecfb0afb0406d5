package io.fxflink.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FxSchemaITCase {
    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.POSTGRES);

    @Test
    void migratesAnEmptyDatabaseAndIsIdempotent() throws Exception {
        RealServers.PgDatabase db = SERVERS.newDatabase("schema");
        assertThat(FxSchema.migrate(db.url(), db.user(), db.password()).migrationsExecuted)
                .isPositive();
        assertThat(FxSchema.migrate(db.url(), db.user(), db.password()).migrationsExecuted)
                .isZero();
    }

    @Test
    void theOpsReaderRoleCanReadButNotWrite() throws Exception {
        RealServers.PgDatabase db = SERVERS.newDatabase("schema");
        FxSchema.migrate(db.url(), db.user(), db.password());
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("SET ROLE " + FxSchema.OPS_READER_ROLE);
            s.executeQuery("SELECT count(*) FROM executions").close();
            assertThatThrownBy(
                            () ->
                                    s.execute(
                                            "INSERT INTO executions (execution_id, service, status, attempt, seq, updated_at)"
                                                    + " VALUES ('x', 's', 'QUEUED', 1, 1, now())"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }
}
