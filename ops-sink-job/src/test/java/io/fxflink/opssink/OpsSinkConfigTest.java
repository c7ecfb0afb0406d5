package io.fxflink.opssink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsSinkConfigTest {

    @Test
    void defaultsAreTheLocalStackAndTheEnvironmentOverridesThem() {
        OpsSinkConfig c =
                OpsSinkConfig.parse(
                        new String[] {"--es.bulk.max-documents", "500", "--kafka.topic-prefix=t."},
                        Map.of(
                                "FX_ES_URL",
                                "https://es1:9200,https://es2:9200",
                                "FX_PG_URL",
                                "jdbc:postgresql://db:5432/fx"));
        assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(c.elasticsearch().urls())
                .containsExactly("https://es1:9200", "https://es2:9200");
        assertThat(c.pgUrl()).isEqualTo("jdbc:postgresql://db:5432/fx");
        assertThat(c.bulkMaxDocuments()).isEqualTo(500);
        assertThat(c.topics().opsLogs()).isEqualTo("t.fx.ops.logs");
        assertThat(c.bounded()).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheKey() {
        assertThatThrownBy(
                        () ->
                                OpsSinkConfig.of(
                                        Map.of(
                                                "es.url", "ftp://x",
                                                "pg.url", "jdbc:mysql://x",
                                                "es.bulk.max-documents", "lots",
                                                "kafka.bounded", "maybe",
                                                "es.index-prefix", "UPPER")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must look like http://host:9200")
                .hasMessageContaining("pg.url must start with jdbc:postgresql://")
                .hasMessageContaining("es.bulk.max-documents must be a whole number")
                .hasMessageContaining("kafka.bounded must be true or false")
                .hasMessageContaining("es.index-prefix");
    }

    @Test
    void unknownOptionsAndDanglingKeysAreRefused() {
        assertThatThrownBy(() -> OpsSinkConfig.parse(new String[] {"--es.ulr", "x"}, Map.of()))
                .hasMessageContaining("unknown option --es.ulr");
        assertThatThrownBy(() -> OpsSinkConfig.parse(new String[] {"--es.url"}, Map.of()))
                .hasMessageContaining("--es.url needs a value");
        assertThatThrownBy(() -> OpsSinkConfig.parse(new String[] {"stray"}, Map.of()))
                .hasMessageContaining("unexpected argument 'stray'");
    }

    @Test
    void authIsEitherBasicOrApiKeyAndSecretsStayOutOfToString() {
        assertThatThrownBy(
                        () ->
                                OpsSinkConfig.of(
                                        Map.of(
                                                "es.username",
                                                "u",
                                                "es.password",
                                                "p",
                                                "es.api-key",
                                                "k")))
                .hasMessageContaining("either an Elasticsearch API key or a username/password");
        assertThatThrownBy(() -> OpsSinkConfig.of(Map.of("es.username", "u")))
                .hasMessageContaining("es.username and es.password go together");
        assertThatThrownBy(() -> OpsSinkConfig.of(Map.of("es.ca-cert", "/nonexistent.pem")))
                .hasMessageContaining("/nonexistent.pem is not readable");

        OpsSinkConfig c =
                OpsSinkConfig.of(
                        Map.of(
                                "es.username",
                                "elastic",
                                "es.password",
                                "s3cret-pw",
                                "pg.password",
                                "pg-s3cret"));
        assertThat(c.toString()).contains("elastic").doesNotContain("s3cret-pw", "pg-s3cret");
    }
}
