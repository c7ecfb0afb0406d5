package io.fxflink.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    @Test
    void defaultsUsePortsAwayFromCommonServices() {
        StackSettings s = StackSettings.from(Map.<String, String>of()::get);
        assertThat(s.kafkaPort()).isEqualTo(19092);
        assertThat(s.kafkaControllerPort()).isEqualTo(19093);
        assertThat(s.elasticsearchPort()).isEqualTo(19200);
        assertThat(s.s3Port()).isEqualTo(19000);
        assertThat(s.postgresPort()).isEqualTo(15432);
        assertThat(s.external()).isEmpty();
        assertThat(s.home().toString()).endsWith(".stack/local");
    }

    @Test
    void serversGivenByTheUserAreExternal() {
        StackSettings s =
                StackSettings.from(
                        Map.of(
                                        "FX_KAFKA_BOOTSTRAP", "kafka-1:9092",
                                        "FX_PG_URL", "jdbc:postgresql://db:5432/fx",
                                        "FX_PG_USER", "fx",
                                        "FX_PG_PASSWORD", "pw")
                                ::get);
        assertThat(s.external()).containsOnlyKeys(ServerKind.KAFKA, ServerKind.POSTGRES);
        assertThat(s.external().get(ServerKind.KAFKA).kafkaBootstrap()).isEqualTo("kafka-1:9092");
        assertThat(s.external().get(ServerKind.POSTGRES).postgresUser()).isEqualTo("fx");
    }

    @Test
    void aBadPortIsRejectedWithTheVariableName() {
        assertThatThrownBy(() -> StackSettings.from(Map.of("FX_KAFKA_PORT", "99999")::get))
                .hasMessageContaining("FX_KAFKA_PORT")
                .hasMessageContaining("99999");
        assertThatThrownBy(() -> StackSettings.from(Map.of("FX_PG_PORT", "five")::get))
                .hasMessageContaining("FX_PG_PORT");
    }

    @Test
    void aMissingDistributionSaysHowToBuildIt() {
        StackSettings s = StackSettings.from(Map.of("FX_DIST", "/nonexistent/dist")::get);
        assertThatThrownBy(() -> s.requireDist("kafka/lib"))
                .hasMessageContaining("/nonexistent/dist/kafka/lib")
                .hasMessageContaining("./mvnw -pl stack/dist package");
    }

    @Test
    void serverNamesParseWithAliases() {
        assertThat(ServerKind.parseList("kafka, es,postgres"))
                .containsExactlyInAnyOrder(
                        ServerKind.KAFKA, ServerKind.ELASTICSEARCH, ServerKind.POSTGRES);
        assertThatThrownBy(() -> ServerKind.parse("redis"))
                .hasMessageContaining("unknown server 'redis'");
    }
}
