package io.fxflink.executor.api;

/**
 * Log lines of this execution: they go to the platform's log stream with the execution id, step and
 * level (System.out of a JVM service is not captured: use this logger).
 */
public interface FxLogger {
    void debug(String message);

    void info(String message);

    void warning(String message);

    void error(String message);

    /** An error with the throwable's stack trace. */
    void error(String message, Throwable error);
}
