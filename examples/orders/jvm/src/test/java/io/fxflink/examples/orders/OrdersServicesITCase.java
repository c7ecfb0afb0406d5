package io.fxflink.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example's JVM services against a real PostgreSQL. */
class OrdersServicesITCase {
    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.POSTGRES);

    private static Map<String, Object> parsed(Object... orders) {
        return Map.of("source", "incoming/a.csv", "orders", List.of(orders));
    }

    @Test
    void storedOrdersShowUpInTheTotalsViewAndARerunChangesNothing() throws Exception {
        RealServers.PgDatabase db = SERVERS.newDatabase("orders");
        Map<String, String> config = Map.of("jdbc_url", db.url(), "jdbc_user", db.user());
        Map<String, Object> params =
                parsed(
                        Map.of("order_id", "1", "customer", "alice", "amount", 10.5),
                        Map.of("order_id", "2", "customer", "alice", "amount", 2),
                        Map.of("order_id", "3", "customer", "bob", "amount", 3));

        RecordingContext store = new RecordingContext(params, config);
        new StoreOrders().run(store);
        new StoreOrders().run(new RecordingContext(params, config));
        assertThat(store.sent).containsExactly("orders.stored");
        assertThat(store.sentData.get(0)).isEqualTo(Map.of("count", 3, "source", "incoming/a.csv"));

        RecordingContext refresh = new RecordingContext(Map.of(), config);
        new RefreshOrderTotals().run(refresh);
        assertThat(refresh.logs).anyMatch(l -> l.contains("2 customers"));
        try (Connection c = db.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT customer, orders, total FROM example_order_totals ORDER BY customer")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("alice");
            assertThat(rs.getInt(2)).as("the re-run did not duplicate rows").isEqualTo(2);
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("12.50");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("bob");
        }
    }

    @Test
    void aMissingJdbcUrlSaysWhichSetting() {
        assertThatThrownBy(() -> new StoreOrders().run(new RecordingContext(parsed(), Map.of())))
                .hasMessageContaining("jdbc_url");
    }
}
