package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagerConfigTest {
    @Test
    void defaultsAreTheLocalStack() {
        ManagerConfig c = ManagerConfig.fromEnv(Map.of());
        assertThat(c.port()).isEqualTo(18080);
        assertThat(c.pgUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/postgres");
        assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(c.packagesBucket()).isEqualTo("fx-packages");
        assertThat(c.linksTopic()).isEqualTo("fx.links");
    }

    @Test
    void everyBadValueIsNamedInOneMessage() {
        assertThatThrownBy(
                        () ->
                                ManagerConfig.fromEnv(
                                        Map.of(
                                                "FX_MANAGER_PORT", "eighty",
                                                "FX_OPS_SQL_MAX_ROWS", "0",
                                                "FX_PG_URL", "mysql://x",
                                                "FX_KAFKA_BOOTSTRAP", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FX_MANAGER_PORT must be an integer")
                .hasMessageContaining("FX_OPS_SQL_MAX_ROWS must be between 1")
                .hasMessageContaining("FX_PG_URL must start with jdbc:postgresql:")
                .hasMessageContaining("FX_KAFKA_BOOTSTRAP must not be empty");
    }
}
