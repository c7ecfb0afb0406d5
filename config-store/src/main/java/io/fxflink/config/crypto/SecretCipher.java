package io.fxflink.config.crypto;

import io.fxflink.config.ConfigScope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM encryption of secret values at rest. Output = version byte, 12-byte random nonce,
 * ciphertext with 128-bit tag. The associated data binds a ciphertext to its scope and name, so a
 * value copied into another row does not decrypt. Thread-safe; never logs values.
 */
public final class SecretCipher {
    private static final byte FORMAT_VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(byte[] keyBytes) {
        if (keyBytes == null
                || (keyBytes.length != 16 && keyBytes.length != 24 && keyBytes.length != 32)) {
            throw new IllegalArgumentException(
                    "an AES key must be 16, 24 or 32 bytes, got "
                            + (keyBytes == null ? "none" : keyBytes.length + " bytes"));
        }
        this.key = new SecretKeySpec(keyBytes.clone(), "AES");
        this.keyId = keyId(keyBytes);
    }

    /** A short public fingerprint of the key (not the key): first 8 bytes of its SHA-256, hex. */
    public String keyId() {
        return keyId;
    }

    public byte[] encrypt(ConfigScope scope, String name, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(scope, name));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(FORMAT_VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt secret '" + name + "'", e);
        }
    }

    /**
     * @param storedKeyId the key id stored next to the ciphertext; a mismatch fails with a message
     *     that names both ids (the usual cause: FX_SECRETS_KEY changed)
     */
    public String decrypt(ConfigScope scope, String name, byte[] stored, String storedKeyId) {
        if (storedKeyId != null && !storedKeyId.equals(keyId)) {
            throw new SecretDecryptionException(
                    "secret '"
                            + name
                            + "' in "
                            + describe(scope)
                            + " was encrypted with key "
                            + storedKeyId
                            + " but the configured FX_SECRETS_KEY is key "
                            + keyId);
        }
        if (stored == null || stored.length < 1 + NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretDecryptionException(
                    "secret '" + name + "' in " + describe(scope) + " is not a valid ciphertext");
        }
        if (stored[0] != FORMAT_VERSION) {
            throw new SecretDecryptionException(
                    "secret '"
                            + name
                            + "' in "
                            + describe(scope)
                            + " has unknown format version "
                            + stored[0]);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(scope, name));
            byte[] plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
            String value = new String(plain, StandardCharsets.UTF_8);
            Arrays.fill(plain, (byte) 0);
            return value;
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException(
                    "secret '"
                            + name
                            + "' in "
                            + describe(scope)
                            + " failed authentication: it was tampered with, moved from another"
                            + " scope/name, or encrypted with another key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt secret '" + name + "'", e);
        }
    }

    private static byte[] associatedData(ConfigScope scope, String name) {
        return ("fx-secret\0" + scope.level() + "\0" + scope.name() + "\0" + name)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(ConfigScope scope) {
        return scope.level() == ConfigScope.Level.PLATFORM
                ? "the platform scope"
                : scope.level().name().toLowerCase() + " '" + scope.name() + "'";
    }

    private static String keyId(byte[] keyBytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBytes);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
