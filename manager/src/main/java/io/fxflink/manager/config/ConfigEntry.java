package io.fxflink.manager.config;

/**
 * One configuration value and where it lives: {@code level} platform|project|service and {@code
 * scope} the project or service name (empty for the platform).
 */
public record ConfigEntry(String key, String value, String level, String scope) {}
