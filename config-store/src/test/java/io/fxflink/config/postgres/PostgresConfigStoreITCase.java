package io.fxflink.config.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.config.ConfigScope;
import io.fxflink.config.ConfigStore;
import io.fxflink.config.ConfigStoreContract;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The config store contract against a real PostgreSQL with the Flyway schema. */
class PostgresConfigStoreITCase extends ConfigStoreContract {
    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.POSTGRES);

    static DataSource dataSource;

    @BeforeAll
    static void migrate() {
        dataSource = PgFixture.migratedDatabase(SERVERS, "cfgstore");
    }

    @Override
    protected ConfigStore store() {
        return new PostgresConfigStore(dataSource);
    }

    @Override
    protected String unique(String prefix) {
        return RealServers.uniqueName(prefix);
    }

    @Test
    void anUnreachableDatabaseGivesAClearError() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        ds.setUser("nobody");
        assertThatThrownBy(() -> new PostgresConfigStore(ds).get(ConfigScope.service("s"), "key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read config 'key'");
    }
}
