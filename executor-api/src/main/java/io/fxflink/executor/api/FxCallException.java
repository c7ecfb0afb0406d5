package io.fxflink.executor.api;

/** The platform refused or could not complete a context call; the message says why. */
public class FxCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FxCallException(String message) {
        super(message);
    }

    public FxCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
