package io.fxflink.examples.orders;

import io.fxflink.executor.api.FxContext;
import io.fxflink.executor.api.FxService;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** orders.stored → refresh the {@code example_order_totals} materialized view. */
public final class RefreshOrderTotals implements FxService {
    @Override
    public void run(FxContext ctx) throws Exception {
        try (Connection c = OrdersDatabase.connect(ctx);
                Statement s = c.createStatement()) {
            OrdersDatabase.ensureSchema(c);
            // CONCURRENTLY keeps the view readable while it refreshes (needs the unique index)
            s.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY example_order_totals");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM example_order_totals")) {
                rs.next();
                ctx.logger().info("refreshed example_order_totals: " + rs.getInt(1) + " customers");
            }
        }
    }
}
