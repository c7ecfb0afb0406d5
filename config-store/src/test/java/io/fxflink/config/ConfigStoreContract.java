package io.fxflink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ConfigStore} implementation must have. Subclasses give a store whose
 * scopes are empty for the scope names {@link #unique(String)} returns.
 */
public abstract class ConfigStoreContract {
    protected abstract ConfigStore store();

    /** A scope name no other test uses (stores may be shared between tests). */
    protected abstract String unique(String prefix);

    @Test
    void aValueThatWasPutIsReadBackAndOverwritten() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        store().put(scope, "db.host", "a");
        store().put(scope, "db.host", "b");
        assertThat(store().get(scope, "db.host")).contains("b");
    }

    @Test
    void aMissingKeyIsEmptyNotAnError() {
        assertThat(store().get(ConfigScope.service(unique("svc")), "nothing")).isEmpty();
    }

    @Test
    void scopesAreSeparate() {
        String name = unique("same");
        store().put(ConfigScope.service(name), "k", "service");
        store().put(ConfigScope.project(name), "k", "project");
        assertThat(store().get(ConfigScope.service(name), "k")).contains("service");
        assertThat(store().get(ConfigScope.project(name), "k")).contains("project");
        assertThat(store().get(ConfigScope.service(unique("other")), "k")).isEmpty();
    }

    @Test
    void listReturnsExactlyTheScopesEntries() {
        ConfigScope scope = ConfigScope.project(unique("proj"));
        store().put(scope, "a", "1");
        store().put(scope, "b.c", "2");
        store().put(ConfigScope.project(unique("proj")), "x", "other");
        assertThat(store().list(scope)).isEqualTo(Map.of("a", "1", "b.c", "2"));
    }

    @Test
    void deleteSaysWhetherSomethingWasDeleted() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        store().put(scope, "k", "v");
        assertThat(store().delete(scope, "k")).isTrue();
        assertThat(store().delete(scope, "k")).isFalse();
        assertThat(store().get(scope, "k")).isEmpty();
    }

    @Test
    void resolveFallsBackServiceThenProjectThenPlatform() {
        String project = unique("proj");
        String service = unique("svc");
        String key = unique("key");
        store().put(ConfigScope.PLATFORM, key, "platform");
        try {
            assertThat(store().resolve(project, service, key)).contains("platform");
            store().put(ConfigScope.project(project), key, "project");
            assertThat(store().resolve(project, service, key)).contains("project");
            store().put(ConfigScope.service(service), key, "service");
            assertThat(store().resolve(project, service, key)).contains("service");
        } finally {
            store().delete(ConfigScope.PLATFORM, key);
        }
    }

    @Test
    void unicodeAndEmptyValuesSurviveUnchanged() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        store().put(scope, "greeting", "grüße 🌍\nline2 'quoted' \"dq\"");
        store().put(scope, "empty", "");
        assertThat(store().get(scope, "greeting")).contains("grüße 🌍\nline2 'quoted' \"dq\"");
        assertThat(store().get(scope, "empty")).contains("");
    }

    @Test
    void hostileKeysAreRejectedWithAClearMessage() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        for (String bad : new String[] {"", " ", "a/b", "../x", "-x", "a b", "x".repeat(300)}) {
            assertThatThrownBy(() -> store().put(scope, bad, "v"))
                    .as("key %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("config key");
        }
        assertThatThrownBy(() -> store().put(ConfigScope.service("a/b"), "k", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service scope name");
        assertThatThrownBy(() -> store().put(scope, "k", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use delete");
        assertThatThrownBy(() -> store().put(scope, "k", "x".repeat(70_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
        assertThatThrownBy(() -> store().put(scope, "k", "a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
        assertThat(store().list(scope)).isEmpty();
    }
}
