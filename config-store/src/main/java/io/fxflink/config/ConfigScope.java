package io.fxflink.config;

import java.util.Objects;

/**
 * Where a configuration value or secret lives. Lookups for a service fall back service → project →
 * platform, as in FX.
 */
public record ConfigScope(Level level, String name) {
    public enum Level {
        PLATFORM,
        PROJECT,
        SERVICE
    }

    public static final ConfigScope PLATFORM = new ConfigScope(Level.PLATFORM, "");

    public ConfigScope {
        Objects.requireNonNull(level, "level");
        name = name == null ? "" : name;
        if (level != Level.PLATFORM && name.isBlank()) {
            throw new IllegalArgumentException(level + " scope needs a name");
        }
    }

    public static ConfigScope project(String project) {
        return new ConfigScope(Level.PROJECT, project);
    }

    public static ConfigScope service(String service) {
        return new ConfigScope(Level.SERVICE, service);
    }
}
