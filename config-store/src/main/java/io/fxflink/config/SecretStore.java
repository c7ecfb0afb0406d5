package io.fxflink.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Secrets by scope, encrypted at rest. Values are returned only to the platform's own processes
 * (the executor hands them to a running service); the management API lists names, never values.
 * Implementations never log values.
 */
public interface SecretStore extends AutoCloseable {
    Optional<String> get(ConfigScope scope, String name);

    Set<String> names(ConfigScope scope);

    void put(ConfigScope scope, String name, String value);

    boolean delete(ConfigScope scope, String name);

    /** The secret a service sees: its own, else its project's, else the platform's. */
    default Optional<String> resolve(String project, String service, String name) {
        for (ConfigScope scope :
                List.of(
                        ConfigScope.service(service),
                        ConfigScope.project(project),
                        ConfigScope.PLATFORM)) {
            Optional<String> v = get(scope, name);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    @Override
    default void close() {}
}
