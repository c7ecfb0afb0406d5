package io.fxflink.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration values by scope. Implementations: Consul KV when a Consul address is configured,
 * otherwise the embedded default backed by PostgreSQL; both pass the same contract tests.
 */
public interface ConfigStore extends AutoCloseable {
    Optional<String> get(ConfigScope scope, String key);

    Map<String, String> list(ConfigScope scope);

    void put(ConfigScope scope, String key, String value);

    boolean delete(ConfigScope scope, String key);

    /** The value a service sees: its own, else its project's, else the platform's. */
    default Optional<String> resolve(String project, String service, String key) {
        for (ConfigScope scope :
                List.of(
                        ConfigScope.service(service),
                        ConfigScope.project(project),
                        ConfigScope.PLATFORM)) {
            Optional<String> v = get(scope, key);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    @Override
    default void close() {}
}
