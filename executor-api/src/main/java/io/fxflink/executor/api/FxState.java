package io.fxflink.executor.api;

/**
 * Per-service values kept between executions (stored as JSON, shared by every executor). Values
 * come back as JSON types: maps, lists, strings, numbers, booleans.
 */
public interface FxState {
    /** The value, or null when the key is not set. */
    Object get(String key);

    /** Stores any JSON-serialisable value. */
    void put(String key, Object value);

    /** True when the key existed. */
    boolean delete(String key);
}
