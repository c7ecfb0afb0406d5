package io.fxflink.config.consul;

import io.fxflink.config.ConfigKeys;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.ConfigStore;
import java.util.Map;
import java.util.Optional;

/** Config values in Consul KV under {@code <root>/config/<level>/<scope>/<key>}. */
public final class ConsulConfigStore implements ConfigStore {
    private static final String KIND = "config";
    private final ConsulKv kv;
    private final boolean ownsClient;

    public ConsulConfigStore(ConsulKv kv, boolean ownsClient) {
        this.kv = kv;
        this.ownsClient = ownsClient;
    }

    @Override
    public Optional<String> get(ConfigScope scope, String key) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(key, "config key");
        return kv.get(kv.path(KIND, scope, key));
    }

    @Override
    public Map<String, String> list(ConfigScope scope) {
        ConfigKeys.scope(scope);
        return kv.list(kv.prefix(KIND, scope));
    }

    @Override
    public void put(ConfigScope scope, String key, String value) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(key, "config key");
        ConfigKeys.value(value, "config value");
        kv.put(kv.path(KIND, scope, key), value);
    }

    @Override
    public boolean delete(ConfigScope scope, String key) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(key, "config key");
        return kv.delete(kv.path(KIND, scope, key));
    }

    @Override
    public void close() {
        if (ownsClient) {
            kv.close();
        }
    }
}
