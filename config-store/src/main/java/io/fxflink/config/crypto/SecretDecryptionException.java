package io.fxflink.config.crypto;

/** A stored secret cannot be decrypted; the message says which secret and why, never its value. */
public final class SecretDecryptionException extends RuntimeException {
    public SecretDecryptionException(String message) {
        super(message);
    }
}
