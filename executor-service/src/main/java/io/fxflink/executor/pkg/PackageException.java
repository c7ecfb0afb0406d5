package io.fxflink.executor.pkg;

/**
 * A service package cannot be used. {@code retryable} is false when retrying cannot help (hostile
 * zip, bad manifest, checksum mismatch) and true for transient causes (object store unreachable).
 */
public final class PackageException extends Exception {
    private final boolean retryable;

    public PackageException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public PackageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
