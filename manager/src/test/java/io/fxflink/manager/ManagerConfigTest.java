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

    @Test
    void theBootstrapTokenIsCheckedButNeverEchoed() {
        String bad = "has spaces in the middle of it";
        assertThatThrownBy(() -> ManagerConfig.fromEnv(Map.of("FX_BOOTSTRAP_ADMIN_TOKEN", bad)))
                .hasMessageContaining("FX_BOOTSTRAP_ADMIN_TOKEN must be 16-128 printable")
                .hasMessageNotContaining(bad);
        assertThatThrownBy(() -> ManagerConfig.fromEnv(Map.of("FX_BOOTSTRAP_ADMIN_TOKEN", "short")))
                .hasMessageContaining("(it has 5 characters)");
        ManagerConfig ok =
                ManagerConfig.fromEnv(
                        Map.of(
                                "FX_BOOTSTRAP_ADMIN_TOKEN", "fx_0123456789abcdef0123",
                                "FX_PG_PASSWORD", "pg-pass-123",
                                "FX_SECRETS_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        assertThat(ok.bootstrapAdminToken()).isEqualTo("fx_0123456789abcdef0123");
        assertThat(ok.toString())
                .doesNotContain("fx_0123456789abcdef0123")
                .doesNotContain("pg-pass-123")
                .doesNotContain("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
                .contains("bootstrapAdminToken=set");
    }

    @Test
    void aBadSecretsKeyOrFlinkUrlFailsTheStart() {
        assertThatThrownBy(() -> ManagerConfig.fromEnv(Map.of("FX_SECRETS_KEY", "not base64!")))
                .hasMessageContaining("FX_SECRETS_KEY is not valid base64");
        assertThatThrownBy(() -> ManagerConfig.fromEnv(Map.of("FX_SECRETS_KEY", "AAECAwQ=")))
                .hasMessageContaining("must decode to 16, 24 or 32 bytes");
        assertThatThrownBy(() -> ManagerConfig.fromEnv(Map.of("FX_MODE", "production")))
                .hasMessageContaining("FX_SECRETS_KEY is not set and FX_MODE=production");
        assertThatThrownBy(
                        () -> ManagerConfig.fromEnv(Map.of("FX_FLINK_REST_URL", "localhost:8081")))
                .hasMessageContaining("FX_FLINK_REST_URL must be an http(s) URL");
        assertThat(ManagerConfig.fromEnv(Map.of()).flinkEnabled()).isFalse();
        assertThat(
                        ManagerConfig.fromEnv(Map.of("FX_FLINK_REST_URL", "http://127.0.0.1:8081"))
                                .flinkEnabled())
                .isTrue();
    }
}
