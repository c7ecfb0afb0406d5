package io.fxflink.config.postgres;

import io.fxflink.schema.FxSchema;
import io.fxflink.testsupport.RealServers;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh, migrated database of the shared test PostgreSQL. */
final class PgFixture {
    private PgFixture() {}

    static DataSource migratedDatabase(RealServers servers, String prefix) {
        RealServers.PgDatabase db = servers.newDatabase(prefix);
        FxSchema.migrate(db.url(), db.user(), db.password());
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        return ds;
    }
}
