package io.fxflink.examples.orders;

import io.fxflink.executor.api.FxContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** The example's tables, and a connection from the service's configuration. */
final class OrdersDatabase {
    private OrdersDatabase() {}

    static Connection connect(FxContext ctx) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ctx.config().get("jdbc_user", "postgres"));
        String password = ctx.secrets().get("jdbc_password");
        if (password != null) {
            p.setProperty("password", password);
        }
        String url = ctx.config().get("jdbc_url");
        if (url == null) {
            throw new IllegalStateException(
                    "config 'jdbc_url' is not set for " + ctx.packageName());
        }
        // the driver is in this service's own jar: use it directly, not through DriverManager
        Connection c = new org.postgresql.Driver().connect(url, p);
        if (c == null) {
            throw new IllegalStateException("'" + url + "' is not a PostgreSQL JDBC URL");
        }
        return c;
    }

    static void ensureSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS example_orders ("
                            + " order_id text PRIMARY KEY, customer text NOT NULL,"
                            + " amount numeric(12,2) NOT NULL, source text, stored_at timestamptz NOT NULL DEFAULT now())");
            s.execute(
                    "CREATE MATERIALIZED VIEW IF NOT EXISTS example_order_totals AS"
                            + " SELECT customer, count(*) AS orders, sum(amount) AS total"
                            + " FROM example_orders GROUP BY customer");
            s.execute(
                    "CREATE UNIQUE INDEX IF NOT EXISTS example_order_totals_customer ON example_order_totals (customer)");
        }
    }
}
