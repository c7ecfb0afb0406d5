package io.fxflink.examples.orders;

import io.fxflink.executor.api.FxContext;
import io.fxflink.executor.api.FxService;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

/**
 * orders.parsed → rows in {@code example_orders} → orders.stored. Upserts by order id, so a re-run
 * of the same execution (the platform runs each request at least once) changes nothing.
 */
public final class StoreOrders implements FxService {
    @Override
    @SuppressWarnings("unchecked")
    public void run(FxContext ctx) throws Exception {
        List<Map<String, Object>> orders =
                (List<Map<String, Object>>) ctx.params().getOrDefault("orders", List.of());
        String source = String.valueOf(ctx.params().getOrDefault("source", "unknown"));
        try (Connection c = OrdersDatabase.connect(ctx)) {
            OrdersDatabase.ensureSchema(c);
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO example_orders (order_id, customer, amount, source) VALUES (?, ?, ?, ?)"
                                    + " ON CONFLICT (order_id) DO UPDATE SET customer = EXCLUDED.customer,"
                                    + " amount = EXCLUDED.amount, source = EXCLUDED.source")) {
                for (Map<String, Object> o : orders) {
                    ps.setString(1, String.valueOf(o.get("order_id")));
                    ps.setString(2, String.valueOf(o.get("customer")));
                    ps.setBigDecimal(3, new BigDecimal(String.valueOf(o.get("amount"))));
                    ps.setString(4, source);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        ctx.logger().info("stored " + orders.size() + " orders from " + source);
        ctx.events().send("orders.stored", Map.of("count", orders.size(), "source", source));
    }
}
