package io.fxflink.config.consul;

import io.fxflink.config.ConfigScope;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.KeyValueClient;
import org.kiwiproject.consul.model.kv.Value;

/**
 * The Consul KV access both Consul stores share: key layout {@code <root>/<kind>/<level>/<scope
 * name or _>/<key>} and error translation. One client (connection pool) per process.
 */
public final class ConsulKv implements AutoCloseable {
    public static final String ADDRESS_ENV = "CONSUL_HTTP_ADDR";
    public static final String TOKEN_ENV = "CONSUL_HTTP_TOKEN";
    public static final String DEFAULT_ROOT = "fx";

    private final Consul consul;
    private final KeyValueClient kv;
    private final String root;
    private final String address;

    private ConsulKv(Consul consul, String root, String address) {
        this.consul = consul;
        this.kv = consul.keyValueClient();
        this.root = root;
        this.address = address;
    }

    /**
     * @param address {@code CONSUL_HTTP_ADDR} form: {@code host:port} or {@code
     *     http(s)://host:port}
     * @param token ACL token, nullable
     */
    public static ConsulKv connect(String address, String token, String root) {
        String url = address.contains("://") ? address : "http://" + address;
        URI.create(url); // fail early on a malformed address
        Consul.Builder builder =
                Consul.builder()
                        .withUrl(url)
                        .withPing(false)
                        .withConnectTimeoutMillis(5_000)
                        .withReadTimeoutMillis(10_000)
                        .withWriteTimeoutMillis(10_000);
        if (token != null && !token.isBlank()) {
            builder.withTokenAuth(token);
        }
        String r = root == null || root.isBlank() ? DEFAULT_ROOT : root.replaceAll("/+$", "");
        return new ConsulKv(builder.build(), r, url);
    }

    String path(String kind, ConfigScope scope, String key) {
        return prefix(kind, scope) + key;
    }

    String prefix(String kind, ConfigScope scope) {
        String name = scope.level() == ConfigScope.Level.PLATFORM ? "_" : scope.name();
        return root + "/" + kind + "/" + scope.level().name().toLowerCase() + "/" + name + "/";
    }

    Optional<String> get(String path) {
        try {
            return kv.getValueAsString(path);
        } catch (ConsulException e) {
            if (e.hasCode() && e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("read " + path, e);
        } catch (RuntimeException e) {
            throw failure("read " + path, e);
        }
    }

    /** Direct children of {@code prefix} (key without the prefix → value). */
    Map<String, String> list(String prefix) {
        Map<String, String> out = new TreeMap<>();
        List<Value> values;
        try {
            values = kv.getValues(prefix);
        } catch (ConsulException e) {
            if (e.hasCode() && e.getCode() == 404) {
                return out;
            }
            throw failure("list " + prefix, e);
        } catch (RuntimeException e) {
            throw failure("list " + prefix, e);
        }
        for (Value v : values) {
            String rest = v.getKey().substring(prefix.length());
            if (!rest.isEmpty() && rest.indexOf('/') < 0) {
                out.put(rest, v.getValueAsString().orElse(""));
            }
        }
        return out;
    }

    void put(String path, String value) {
        boolean ok;
        try {
            ok = kv.putValue(path, value);
        } catch (RuntimeException e) {
            throw failure("write " + path, e);
        }
        if (!ok) {
            throw new IllegalStateException("Consul at " + address + " refused to write " + path);
        }
    }

    boolean delete(String path) {
        // Consul's DELETE does not say whether the key existed; read first (not atomic, which is
        // fine for a boolean that is only informative)
        boolean existed = get(path).isPresent();
        try {
            kv.deleteKey(path);
        } catch (RuntimeException e) {
            throw failure("delete " + path, e);
        }
        return existed;
    }

    /** Deletes every key under {@code prefix} (used to clean up a test root). */
    public void deleteTree(String prefix) {
        try {
            kv.deleteKeys(prefix);
        } catch (RuntimeException e) {
            throw failure("delete " + prefix, e);
        }
    }

    private IllegalStateException failure(String what, RuntimeException e) {
        return new IllegalStateException(
                "Consul at " + address + ": cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (!consul.isDestroyed()) {
            consul.destroy();
        }
    }
}
