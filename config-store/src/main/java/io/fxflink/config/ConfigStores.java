package io.fxflink.config;

import io.fxflink.config.consul.ConsulConfigStore;
import io.fxflink.config.consul.ConsulKv;
import io.fxflink.config.consul.ConsulSecretStore;
import io.fxflink.config.crypto.SecretCipher;
import io.fxflink.config.crypto.SecretKeys;
import io.fxflink.config.postgres.PostgresConfigStore;
import io.fxflink.config.postgres.PostgresSecretStore;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the implementation once per process: Consul KV when {@code CONSUL_HTTP_ADDR} is set ({@code
 * CONSUL_HTTP_TOKEN}, {@code FX_CONSUL_ROOT} optional), else the PostgreSQL default. The secrets
 * key comes from {@link SecretKeys}.
 */
public record ConfigStores(ConfigStore config, SecretStore secrets, String backend)
        implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigStores.class);
    public static final String CONSUL_ROOT_ENV = "FX_CONSUL_ROOT";

    /**
     * @param postgres the platform database (asked for only when Consul is not configured)
     */
    public static ConfigStores fromEnvironment(
            Map<String, String> env, Supplier<DataSource> postgres) {
        SecretCipher cipher = SecretKeys.fromEnvironment(env);
        String consul = env.get(ConsulKv.ADDRESS_ENV);
        if (consul != null && !consul.isBlank()) {
            ConsulKv kv =
                    ConsulKv.connect(
                            consul.trim(),
                            env.get(ConsulKv.TOKEN_ENV),
                            env.getOrDefault(CONSUL_ROOT_ENV, ConsulKv.DEFAULT_ROOT));
            LOG.info("config and secrets in Consul KV at {}", consul);
            return new ConfigStores(
                    new ConsulConfigStore(kv, true),
                    new ConsulSecretStore(kv, cipher, false),
                    "consul");
        }
        DataSource ds = postgres.get();
        LOG.info("config and secrets in PostgreSQL (tables config_entries, secrets)");
        return new ConfigStores(
                new PostgresConfigStore(ds), new PostgresSecretStore(ds, cipher), "postgres");
    }

    @Override
    public void close() {
        secrets.close();
        config.close();
    }
}
