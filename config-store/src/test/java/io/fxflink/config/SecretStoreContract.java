package io.fxflink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The behaviour every {@link SecretStore} implementation must have. */
public abstract class SecretStoreContract {
    protected abstract SecretStore store();

    protected abstract String unique(String prefix);

    /** The raw stored form of a secret (what the backing server holds), to check encryption. */
    protected abstract String rawStoredForm(ConfigScope scope, String name);

    @Test
    void aSecretIsReadBackButStoredOnlyAsCiphertext() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        String value = "s3cr3t-" + unique("value");
        store().put(scope, "api.token", value);
        assertThat(store().get(scope, "api.token")).contains(value);
        assertThat(rawStoredForm(scope, "api.token")).isNotBlank().doesNotContain(value);
    }

    @Test
    void namesListsNamesOnly() {
        ConfigScope scope = ConfigScope.project(unique("proj"));
        store().put(scope, "a", "value-a");
        store().put(scope, "b", "value-b");
        assertThat(store().names(scope)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void overwriteAndDelete() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        store().put(scope, "k", "one");
        store().put(scope, "k", "two");
        assertThat(store().get(scope, "k")).contains("two");
        assertThat(store().delete(scope, "k")).isTrue();
        assertThat(store().delete(scope, "k")).isFalse();
        assertThat(store().get(scope, "k")).isEmpty();
    }

    @Test
    void resolveFallsBackServiceThenProjectThenPlatform() {
        String project = unique("proj");
        String service = unique("svc");
        String name = unique("name");
        store().put(ConfigScope.PLATFORM, name, "platform");
        try {
            assertThat(store().resolve(project, service, name)).contains("platform");
            store().put(ConfigScope.project(project), name, "project");
            store().put(ConfigScope.service(service), name, "service");
            assertThat(store().resolve(project, service, name)).contains("service");
        } finally {
            store().delete(ConfigScope.PLATFORM, name);
        }
    }

    @Test
    void aProjectSecretWinsOverThePlatformOneAndThePlatformOneIsTheLastFallback() {
        String project = unique("proj");
        String service = unique("svc");
        String name = unique("name");
        store().put(ConfigScope.PLATFORM, name, "platform");
        try {
            store().put(ConfigScope.project(project), name, "project");
            assertThat(store().resolve(project, service, name)).contains("project");
            assertThat(store().resolve(unique("other-proj"), service, name)).contains("platform");
            assertThat(store().delete(ConfigScope.project(project), name)).isTrue();
            assertThat(store().resolve(project, service, name)).contains("platform");
        } finally {
            store().delete(ConfigScope.PLATFORM, name);
        }
        assertThat(store().resolve(project, service, name)).isEmpty();
    }

    @Test
    void errorsNeverContainTheValue() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        String value = "do-not-leak-" + "x".repeat(70_000);
        assertThatThrownBy(() -> store().put(scope, "k", value))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("do-not-leak");
        assertThatThrownBy(() -> store().put(scope, "bad/name", "do-not-leak"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .contains("secret name")
                .doesNotContain("do-not-leak");
    }
}
