package io.fxflink.config.consul;

import io.fxflink.config.ConfigKeys;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.SecretStore;
import io.fxflink.config.crypto.SecretCipher;
import io.fxflink.config.crypto.SecretDecryptionException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Secrets in Consul KV under {@code <root>/secrets/<level>/<scope>/<name>}, encrypted with the same
 * AES-GCM cipher as the PostgreSQL store before they leave the JVM. Stored text: {@code
 * v1:<keyId>:<base64 ciphertext>}.
 */
public final class ConsulSecretStore implements SecretStore {
    private static final String KIND = "secrets";
    private final ConsulKv kv;
    private final SecretCipher cipher;
    private final boolean ownsClient;

    public ConsulSecretStore(ConsulKv kv, SecretCipher cipher, boolean ownsClient) {
        this.kv = kv;
        this.cipher = cipher;
        this.ownsClient = ownsClient;
    }

    @Override
    public Optional<String> get(ConfigScope scope, String name) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(name, "secret name");
        return kv.get(kv.path(KIND, scope, name)).map(stored -> open(scope, name, stored));
    }

    @Override
    public Set<String> names(ConfigScope scope) {
        ConfigKeys.scope(scope);
        return new TreeSet<>(kv.list(kv.prefix(KIND, scope)).keySet());
    }

    @Override
    public void put(ConfigScope scope, String name, String value) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(name, "secret name");
        ConfigKeys.value(value, "secret value");
        byte[] sealed = cipher.encrypt(scope, name, value);
        kv.put(
                kv.path(KIND, scope, name),
                "v1:" + cipher.keyId() + ":" + Base64.getEncoder().encodeToString(sealed));
    }

    @Override
    public boolean delete(ConfigScope scope, String name) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(name, "secret name");
        return kv.delete(kv.path(KIND, scope, name));
    }

    private String open(ConfigScope scope, String name, String stored) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new SecretDecryptionException(
                    "secret '" + name + "' in Consul is not in the v1:<keyId>:<base64> format");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException(
                    "secret '" + name + "' in Consul has an invalid base64 ciphertext");
        }
        return cipher.decrypt(scope, name, sealed, parts[1]);
    }

    @Override
    public void close() {
        if (ownsClient) {
            kv.close();
        }
    }
}
