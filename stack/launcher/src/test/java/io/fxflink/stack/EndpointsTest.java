package io.fxflink.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void survivesThePropertiesRoundTrip() {
        Endpoints e =
                new Endpoints()
                        .with(Endpoints.ES_URL, "http://127.0.0.1:19200")
                        .with(Endpoints.PG_URL, "jdbc:postgresql://127.0.0.1:15432/postgres?x=1");
        Endpoints back = Endpoints.fromPropertiesText(e.toPropertiesText());
        assertThat(back.elasticsearchUrl()).isEqualTo("http://127.0.0.1:19200");
        assertThat(back.postgresUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/postgres?x=1");
    }

    @Test
    void secretsAreNeverPrinted() {
        Endpoints e =
                new Endpoints()
                        .with(Endpoints.S3_SECRET_KEY, "s3cret")
                        .with(Endpoints.PG_PASSWORD, "pw0rd");
        Map<String, String> shown = new LinkedHashMap<>();
        e.forEach(shown::put);
        assertThat(shown.values()).containsOnly("***");
        assertThat(e.toString()).doesNotContain("s3cret").doesNotContain("pw0rd");
    }

    @Test
    void anUnknownEndpointNamesWhatIsKnown() {
        assertThatThrownBy(() -> new Endpoints().with(Endpoints.ES_URL, "x").kafkaBootstrap())
                .hasMessageContaining(Endpoints.KAFKA_BOOTSTRAP)
                .hasMessageContaining(Endpoints.ES_URL);
    }
}
