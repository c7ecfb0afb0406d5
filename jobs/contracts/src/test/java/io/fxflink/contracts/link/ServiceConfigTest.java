package io.fxflink.contracts.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.testing.ContractFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    @Test
    void defaultVersionMustBeOneOfTheVersions() {
        assertThatThrownBy(
                        () ->
                                new ServiceConfig(
                                        "svc",
                                        1,
                                        "p",
                                        true,
                                        false,
                                        null,
                                        "9.9",
                                        Map.of("1.0", ContractFixtures.versionSpec())))
                .hasMessageContaining("'defaultVersion' names version '9.9'");
    }

    @Test
    void absentPriorityAndConcurrencyGetDefaults() {
        String json =
                new String(
                                Codecs.SERVICE_CONFIG.encode(
                                        ContractFixtures.serviceConfig("billing")),
                                StandardCharsets.UTF_8)
                        .replace("\"priority\":5,", "")
                        .replace("\"concurrency\":4,", "");
        ServiceConfig decoded = Codecs.SERVICE_CONFIG.decode(json.getBytes(StandardCharsets.UTF_8));
        ServiceVersionSpec spec = decoded.spec("1.0.0").orElseThrow();
        assertThat(spec.priority()).isEqualTo(ServiceVersionSpec.DEFAULT_PRIORITY);
        assertThat(spec.concurrency()).isEqualTo(1);
    }

    @Test
    void priorityOutsideOneToTenIsRejected() {
        String json =
                new String(
                                Codecs.SERVICE_CONFIG.encode(
                                        ContractFixtures.serviceConfig("billing")),
                                StandardCharsets.UTF_8)
                        .replace("\"priority\":5", "\"priority\":11");
        assertThatThrownBy(
                        () -> Codecs.SERVICE_CONFIG.decode(json.getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith(
                        "invalid ServiceConfig: field 'priority' must be between 1 and 10, was 11");
    }

    @Test
    void runtimeIsWrittenLowercaseAndUnknownRuntimeIsRejected() {
        String json =
                new String(
                        Codecs.SERVICE_CONFIG.encode(ContractFixtures.serviceConfig("billing")),
                        StandardCharsets.UTF_8);
        assertThat(json).contains("\"runtime\":\"python\"");
        assertThatThrownBy(
                        () ->
                                Codecs.SERVICE_CONFIG.decode(
                                        json.replace("\"python\"", "\"cobol\"")
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageMatching(
                        ".*field 'versions\\.[0-9.]+\\.runtime' has an invalid value cobol.*")
                .hasMessageContaining("python, jvm");
    }

    @Test
    void badSha256IsRejected() {
        assertThatThrownBy(
                        () ->
                                new ServiceVersionSpec(
                                        "k", "ABC", ServiceRuntime.JVM, 1000, 0, 0, 1, 5, null))
                .hasMessage("field 'sha256' must be 64 lowercase hex characters (a SHA-256)");
    }
}
