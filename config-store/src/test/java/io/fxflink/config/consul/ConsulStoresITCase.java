package io.fxflink.config.consul;

import io.fxflink.config.ConfigScope;
import io.fxflink.config.ConfigStore;
import io.fxflink.config.ConfigStoreContract;
import io.fxflink.config.SecretStore;
import io.fxflink.config.SecretStoreContract;
import io.fxflink.config.crypto.SecretCipher;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same contracts against a REAL Consul agent. Runs only when {@code CONSUL_HTTP_ADDR} is set:
 * no Consul server can be installed on the build machines, and we do not fake one. Everything is
 * written under a unique root and deleted afterwards.
 */
@EnabledIfEnvironmentVariable(named = "CONSUL_HTTP_ADDR", matches = ".+")
class ConsulStoresITCase {
    static final String ROOT = "fx-test-" + UUID.randomUUID();
    static ConsulKv kv;
    static SecretCipher cipher;

    @BeforeAll
    static void connect() {
        kv =
                ConsulKv.connect(
                        System.getenv(ConsulKv.ADDRESS_ENV),
                        System.getenv(ConsulKv.TOKEN_ENV),
                        ROOT);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = new SecretCipher(key);
    }

    @AfterAll
    static void cleanUp() {
        kv.deleteTree(ROOT + "/");
        kv.close();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Nested
    class Config extends ConfigStoreContract {
        final ConfigStore store = new ConsulConfigStore(kv, false);

        @Override
        protected ConfigStore store() {
            return store;
        }

        @Override
        protected String unique(String prefix) {
            return ConsulStoresITCase.unique(prefix);
        }
    }

    @Nested
    class Secrets extends SecretStoreContract {
        final SecretStore store = new ConsulSecretStore(kv, cipher, false);

        @Override
        protected SecretStore store() {
            return store;
        }

        @Override
        protected String unique(String prefix) {
            return ConsulStoresITCase.unique(prefix);
        }

        @Override
        protected String rawStoredForm(ConfigScope scope, String name) {
            return kv.get(kv.path("secrets", scope, name)).orElseThrow();
        }
    }
}
