package io.fxflink.contracts.manifest;

/** A package's manifest is not acceptable; the message says what to fix, naming the field. */
public final class ManifestException extends RuntimeException {
    public ManifestException(String message) {
        super(message);
    }
}
