package io.fxflink.contracts.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.contracts.link.ServiceRuntime;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceManifestTest {
    private static final Set<String> FILES = Set.of("main.py", "step2.py", "manifest.json");

    @Test
    void anFxSeedManifestIsReadWithItsDefaults() {
        ServiceManifest m =
                ServiceManifest.parse(
                        "{\"name\":\"ingest\",\"version\":\"1.0.0\",\"description\":\"d\",\"entrypoint\":\"main.py\","
                                + "\"tags\":[\"etl\"],\"trigger_events\":[\"file.uploaded\",\"orders.*\"],"
                                + "\"allow_manual_triggering\":false,\"x_team\":{\"x\":1}}",
                        FILES);
        assertThat(m.name()).isEqualTo("ingest");
        assertThat(m.runtime()).isEqualTo(ServiceRuntime.PYTHON);
        assertThat(m.steps()).containsExactly("main.py");
        assertThat(m.triggerEvents()).containsExactly("file.uploaded", "orders.*");
        assertThat(m.priority()).isEqualTo(5);
        assertThat(m.allowManualTriggering()).isFalse();
        assertThat(m.active()).isTrue();
        assertThat(m.timeoutSeconds()).isEqualTo(ServiceManifest.DEFAULT_TIMEOUT_SECONDS);
        assertThat(m.concurrency()).isEqualTo(1);
    }

    @Test
    void executionOrderRunsStepsInSequenceAndConfigJsonOverridesDefaults() {
        ServiceManifest m =
                ServiceManifest.parse(
                        ("{\"name\":\"a\",\"version\":\"2\",\"execution_order\":[\"main.py\",\"step2.py\"],"
                                        + "\"schedule\":\"*/5 * * * *\",\"priority\":1,\"timeout\":30,\"retries\":3,"
                                        + "\"retry_backoff\":2,\"concurrency\":4,\"config\":{\"a\":\"1\",\"b\":2}}")
                                .getBytes(StandardCharsets.UTF_8),
                        "{\"b\":\"3\",\"c\":true}".getBytes(StandardCharsets.UTF_8),
                        FILES);
        assertThat(m.steps()).containsExactly("main.py", "step2.py");
        assertThat(m.schedule()).isEqualTo("*/5 * * * *");
        assertThat(m.config())
                .containsEntry("a", "1")
                .containsEntry("b", "3")
                .containsEntry("c", "true");
        assertThat(m.timeoutSeconds()).isEqualTo(30);
        assertThat(m.retryBackoffSeconds()).isEqualTo(2);
    }

    @Test
    void aPythonServiceWithoutEntrypointRunsMainPy() {
        assertThat(ServiceManifest.parse("{\"name\":\"a\",\"version\":\"1\"}", FILES).steps())
                .containsExactly("main.py");
    }

    @Test
    void aJvmServiceNamesItsClassAndShipsAJar() {
        ServiceManifest m =
                ServiceManifest.parse(
                        "{\"name\":\"a\",\"version\":\"1\",\"runtime\":\"jvm\",\"entrypoint\":\"com.example.Store\"}",
                        Set.of("manifest.json", "lib/store.jar"));
        assertThat(m.runtime()).isEqualTo(ServiceRuntime.JVM);
        assertThat(m.steps()).containsExactly("com.example.Store");
        assertThatThrownBy(
                        () ->
                                ServiceManifest.parse(
                                        "{\"name\":\"a\",\"version\":\"1\",\"runtime\":\"jvm\"}",
                                        Set.of("x.jar")))
                .hasMessageContaining("entrypoint");
        assertThatThrownBy(
                        () ->
                                ServiceManifest.parse(
                                        "{\"name\":\"a\",\"version\":\"1\",\"runtime\":\"jvm\",\"entrypoint\":\"com.example.Store\"}",
                                        Set.of("manifest.json")))
                .hasMessageContaining("not in the package");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "                                                           | is empty",
                "{\"name\":\"a\"                                            | not valid JSON",
                "[1,2]                                                      | must be a JSON object",
                "{\"version\":\"1\"}                                        | missing required field 'name'",
                "{\"name\":\"a\"}                                           | missing required field 'version'",
                "{\"name\":\"../etc\",\"version\":\"1\"}                    | field 'name'",
                "{\"name\":7,\"version\":\"1\"}                             | field 'name' must be a non-empty string",
                "{\"name\":\"a\",\"version\":\"1\",\"runtime\":\"ruby\"}    | field 'runtime'",
                "{\"name\":\"a\",\"version\":\"1\",\"entrypoint\":\"../x.py\"} | not a script path",
                "{\"name\":\"a\",\"version\":\"1\",\"entrypoint\":\"gone.py\"} | is not in the package",
                "{\"name\":\"a\",\"version\":\"1\",\"execution_order\":[]}  | at least one step",
                "{\"name\":\"a\",\"version\":\"1\",\"execution_order\":\"main.py\"} | must be a list",
                "{\"name\":\"a\",\"version\":\"1\",\"schedule\":\"every day\"} | field 'schedule'",
                "{\"name\":\"a\",\"version\":\"1\",\"schedule\":\"61 * * * *\"} | field 'schedule'",
                "{\"name\":\"a\",\"version\":\"1\",\"priority\":0}          | between 1 and 10",
                "{\"name\":\"a\",\"version\":\"1\",\"priority\":\"high\"}   | whole number",
                "{\"name\":\"a\",\"version\":\"1\",\"timeout\":-1}          | field 'timeout'",
                "{\"name\":\"a\",\"version\":\"1\",\"retries\":1000}        | field 'retries'",
                "{\"name\":\"a\",\"version\":\"1\",\"trigger_events\":[\"a b\"]} | field 'trigger_events'",
                "{\"name\":\"a\",\"version\":\"1\",\"trigger_events\":[\"x\",\"x\"]} | twice",
                "{\"name\":\"a\",\"version\":\"1\",\"allow_manual_triggering\":\"yes\"} | true or false",
                "{\"name\":\"a\",\"version\":\"1\",\"config\":[1]}          | must be an object",
                "{\"name\":\"a\",\"version\":\"1\",\"triger_events\":[\"a\"]} | unknown field 'triger_events'",
                "{\"name\":\"a\",\"version\":\"1\",\"timeout_seconds\":0} | field 'timeout_seconds'",
            })
    void brokenManifestsAreRejectedNamingTheField(String json, String reason) {
        assertThatThrownBy(() -> ServiceManifest.parse(json == null ? "" : json, FILES))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining(reason.trim());
    }

    @Test
    void anOversizeManifestIsRejected() {
        String huge =
                "{\"name\":\"a\",\"version\":\"1\",\"description\":\"" + "x".repeat(70_000) + "\"}";
        assertThatThrownBy(() -> ServiceManifest.parse(huge, FILES))
                .hasMessageContaining("the limit is");
    }
}
