package io.fxflink.manager.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
    private final ManifestParser parser = new ManifestParser();

    private Manifest parse(String json, String... files) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), Set.of(files));
    }

    @Test
    void readsSnakeCaseFields() {
        Manifest m =
                parse(
                        "{\"name\":\"s\",\"version\":\"1\",\"runtime\":\"python\",\"scripts\":[\"a.py\"],"
                                + "\"trigger_events\":[\"x.y\"],\"schedule\":\"*/5 * * * *\","
                                + "\"allow_manual_triggering\":false,\"timeout_seconds\":30}",
                        "a.py");
        assertThat(m.triggerEventsOrEmpty()).containsExactly("x.y");
        assertThat(m.manualTriggeringAllowed()).isFalse();
        assertThat(m.timeoutSeconds()).isEqualTo(30);
    }

    @Test
    void cronIsCheckedWithCronUtils() {
        assertThat(ManifestParser.cronProblem("0 3 * * 1-5")).isEmpty();
        assertThat(ManifestParser.cronProblem("0 25 * * *")).get().asString().contains("schedule");
        assertThat(ManifestParser.cronProblem("* * * * * *")).isPresent();
    }

    @Test
    void jvmEntriesNeedTheirClassOrAJar() {
        String m =
                "{\"name\":\"j\",\"version\":\"1\",\"runtime\":\"jvm\",\"scripts\":[\"com.x.Main\"]}";
        assertThat(parse(m, "com/x/Main.class").name()).isEqualTo("j");
        assertThat(parse(m, "lib/app.jar").name()).isEqualTo("j");
        assertThatThrownBy(() -> parse(m, "README")).hasMessageContaining("not in the package");
    }
}
