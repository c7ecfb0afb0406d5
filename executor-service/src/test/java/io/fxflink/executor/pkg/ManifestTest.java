package io.fxflink.executor.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JVM manifests name their FxService classes; a missing or malformed one is a clear error. */
class ManifestTest {
    @TempDir Path dir;

    Manifest read(String json) throws Exception {
        Files.writeString(dir.resolve("manifest.json"), json);
        return Manifest.read(dir);
    }

    @Test
    void aJvmManifestNamesItsEntrypointClassOrClasses() throws Exception {
        Manifest m =
                read(
                        "{\"name\": \"greeter\", \"runtime\": \"jvm\", \"entrypoint\":"
                                + " \"com.example.Greeter\", \"concurrency\": 2}");
        assertThat(m.runtime()).isEqualTo("jvm");
        assertThat(m.steps()).containsExactly("com.example.Greeter");
        assertThat(m.concurrency()).isEqualTo(2);
        assertThat(
                        read("{\"runtime\": \"jvm\", \"execution_order\": [\"a.Load\","
                                        + " \"a.Transform$Inner\"]}")
                                .steps())
                .isEqualTo(List.of("a.Load", "a.Transform$Inner"));
    }

    @Test
    void aJvmManifestWithoutAValidClassNameIsRefused() {
        assertThatThrownBy(() -> read("{\"runtime\": \"jvm\"}"))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("needs \"entrypoint\" naming its FxService class")
                .matches(e -> !((PackageException) e).retryable());
        assertThatThrownBy(
                        () -> read("{\"runtime\": \"jvm\", \"entrypoint\": \"com/example/Main\"}"))
                .hasMessageContaining("'com/example/Main' is not a Java class name");
        assertThatThrownBy(() -> read("{\"runtime\": \"jvm\", \"entrypoint\": \"../evil/Class\"}"))
                .hasMessageContaining("is not a Java class name");
        assertThatThrownBy(() -> read("{\"runtime\": \"rust\"}"))
                .hasMessageContaining("runtime must be 'python' or 'jvm'");
    }
}
