package io.fxflink.executor.api;

/** Configuration values: service scope, then project, then platform, then the package defaults. */
public interface FxConfig {
    /** The value, or null when no scope has it. */
    String get(String key);

    default String get(String key, String defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : v;
    }
}
