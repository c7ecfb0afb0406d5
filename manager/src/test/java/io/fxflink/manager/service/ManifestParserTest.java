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
    void cronIsCheckedWithTheRoutersRule() {
        String tpl = "{\"name\":\"c\",\"version\":\"1\",\"schedule\":\"%s\"}";
        assertThat(parse(tpl.formatted("0 3 * * 1-5"), "main.py").schedule())
                .isEqualTo("0 3 * * 1-5");
        // a seconds field only when asked for, and not more often than every 10 s
        assertThat(parse(tpl.formatted("@seconds */10 * * * * *"), "main.py").schedule())
                .isEqualTo("@seconds */10 * * * * *");
        assertThatThrownBy(() -> parse(tpl.formatted("* * * * * *"), "main.py"))
                .hasMessageContaining("schedule")
                .hasMessageContaining("has 6 fields");
        assertThatThrownBy(() -> parse(tpl.formatted("@seconds * * * * * *"), "main.py"))
                .hasMessageContaining("at most every 10 s");
        assertThatThrownBy(() -> parse(tpl.formatted("0 25 * * *"), "main.py"))
                .hasMessageContaining("schedule");
        assertThatThrownBy(() -> parse(tpl.formatted("* * * * * * * *"), "main.py"))
                .hasMessageContaining("schedule");
    }

    @Test
    void anFxManifestWithEntrypointAndTagsIsAccepted() {
        Manifest m =
                parse(
                        "{\"name\":\"ingest\",\"version\":\"1.0.0\",\"entrypoint\":\"main.py\","
                                + "\"tags\":[\"etl\"],\"timeout\":60,\"priority\":2,\"active\":true}",
                        "main.py");
        assertThat(m.runtime()).isEqualTo("python");
        assertThat(m.scripts()).containsExactly("main.py");
        assertThat(m.timeoutSeconds()).isEqualTo(60);
        assertThat(m.priority()).isEqualTo(2);
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
