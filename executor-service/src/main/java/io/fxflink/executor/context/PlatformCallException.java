package io.fxflink.executor.context;

/** A platform call refused or failed; the message is shown to the service as it is. */
public final class PlatformCallException extends Exception {
    public PlatformCallException(String message) {
        super(message);
    }

    public PlatformCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
