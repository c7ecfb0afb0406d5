package io.fxflink.config.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the secrets key comes from: {@code FX_SECRETS_KEY} (base64 of 16, 24 or 32 random bytes,
 * e.g. {@code openssl rand -base64 32}). Without it, local/dev mode uses a documented, PUBLIC
 * development key (SHA-256 of {@value #LOCAL_DEFAULT_SEED}) and says so in a WARN line; production
 * mode ({@code FX_MODE=production}) refuses to start without a key.
 */
public final class SecretKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeys.class);

    public static final String KEY_ENV = "FX_SECRETS_KEY";
    public static final String MODE_ENV = "FX_MODE";

    /** Seed of the local development key. Public on purpose: it protects nothing. */
    public static final String LOCAL_DEFAULT_SEED = "fx-on-flink local development secrets key";

    private SecretKeys() {}

    public static SecretCipher fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static SecretCipher fromEnvironment(Map<String, String> env) {
        String encoded = env.get(KEY_ENV);
        if (encoded != null && !encoded.isBlank()) {
            return new SecretCipher(decode(encoded.trim()));
        }
        if (isProduction(env)) {
            throw new IllegalStateException(
                    KEY_ENV
                            + " is not set and "
                            + MODE_ENV
                            + "=production: secrets cannot be encrypted. Set "
                            + KEY_ENV
                            + " to the base64 of 32 random bytes (e.g. `openssl rand -base64 32`)"
                            + " and keep it: secrets written with one key cannot be read with"
                            + " another");
        }
        SecretCipher cipher = new SecretCipher(localDefaultKey());
        LOG.warn(
                "{} is not set: using the PUBLIC local development key {} for secrets. Never do"
                        + " this in production (set {}=production to forbid it).",
                KEY_ENV,
                cipher.keyId(),
                MODE_ENV);
        return cipher;
    }

    public static boolean isProduction(Map<String, String> env) {
        String mode = env.getOrDefault(MODE_ENV, "local").trim().toLowerCase(Locale.ROOT);
        return mode.equals("production") || mode.equals("prod");
    }

    static byte[] decode(String encoded) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    KEY_ENV + " is not valid base64 (expected e.g. `openssl rand -base64 32`)");
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalStateException(
                    KEY_ENV
                            + " must decode to 16, 24 or 32 bytes (AES-128/192/256), got "
                            + key.length
                            + " bytes");
        }
        return key;
    }

    static byte[] localDefaultKey() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(LOCAL_DEFAULT_SEED.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
