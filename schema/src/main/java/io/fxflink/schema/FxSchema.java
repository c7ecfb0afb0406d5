package io.fxflink.schema;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's PostgreSQL schema, owned by Flyway migrations under {@code db/fx}. Every process
 * that uses the database migrates at start-up; Flyway's lock makes concurrent starts safe.
 *
 * <p>Version ranges keep the features apart: V1–V99 ops data (ops sink), V100–V199 manager,
 * V200–V299 executor (config store, secrets, service state).
 */
public final class FxSchema {
    private static final Logger LOG = LoggerFactory.getLogger(FxSchema.class);

    /** Read-only role for SQL over the ops tables (the manager's /ops/sql runs under it). */
    public static final String OPS_READER_ROLE = "fx_ops_reader";

    private FxSchema() {}

    public static MigrateResult migrate(String jdbcUrl, String user, String password) {
        MigrateResult result =
                Flyway.configure()
                        .dataSource(jdbcUrl, user, password)
                        .locations("classpath:db/fx")
                        // features own version ranges (V1 ops, V100 manager, V200 executor): a
                        // later migration in a lower range must still apply to a live database
                        .outOfOrder(true)
                        .load()
                        .migrate();
        LOG.info(
                "database schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion,
                result.migrationsExecuted);
        return result;
    }
}
