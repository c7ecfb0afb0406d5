package io.fxflink.executor.context;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.contracts.ops.LogLevel;

/** What a running step can do besides computing: log, and call the platform. */
public interface StepCallbacks {
    /**
     * @param stream stdout, stderr, logging (the context logger) or fx (platform notices)
     */
    void log(LogLevel level, String stream, String message, boolean truncated);

    /**
     * A platform call such as {@code events.send} or {@code config.get}; the result must be
     * JSON-serialisable (null allowed). Throws {@link PlatformCallException} with a message for the
     * service.
     */
    Object call(String method, JsonNode args) throws PlatformCallException;
}
