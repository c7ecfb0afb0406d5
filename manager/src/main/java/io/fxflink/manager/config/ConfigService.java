package io.fxflink.manager.config;

import io.fxflink.config.ConfigKeys;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.ConfigStore;
import io.fxflink.config.SecretStore;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Db;
import io.fxflink.manager.service.ServiceRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration values and secrets by scope (platform, project, service) over the platform's {@link
 * ConfigStore} and {@link SecretStore}. Viewers read config and secret names, developers write
 * both, the platform scope needs a role on every project ('*') and admin to change. Secret values
 * go in and never come out: not in answers, not in logs, not in error messages.
 */
public final class ConfigService {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigService.class);

    private final Db db;
    private final ConfigStore config;
    private final SecretStore secrets;
    private final ServiceRepository services = new ServiceRepository();

    public ConfigService(Db db, ConfigStore config, SecretStore secrets) {
        this.db = db;
        this.config = config;
        this.secrets = secrets;
    }

    // ---- scopes

    ScopeRef platform() {
        return ScopeRef.platform();
    }

    ScopeRef project(String project) {
        return new ScopeRef(ConfigScope.project(scopeName(project, "project")), project);
    }

    /** The service's scope, governed by the project that owns the service (404 if none). */
    ScopeRef service(String service) {
        scopeName(service, "service");
        String project =
                db.read(c -> services.find(c, service, false))
                        .map(ServiceRepository.ServiceRow::project)
                        .orElseThrow(
                                () -> ApiException.notFound("service '" + service + "' not found"));
        return new ScopeRef(ConfigScope.service(service), project);
    }

    // ---- config

    List<ConfigEntry> list(Principal caller, ScopeRef ref) {
        authorize(caller, ref, false);
        return entries(ref, store(() -> config.list(ref.scope())));
    }

    /** The values a service sees: its own over its project's over the platform's. */
    List<ConfigEntry> effective(Principal caller, ScopeRef serviceRef) {
        authorize(caller, serviceRef, false);
        Map<String, ConfigEntry> merged = new TreeMap<>();
        for (ScopeRef ref : List.of(platform(), project(serviceRef.project()), serviceRef)) {
            entries(ref, store(() -> config.list(ref.scope())))
                    .forEach(e -> merged.put(e.key(), e));
        }
        return new ArrayList<>(merged.values());
    }

    ConfigEntry get(Principal caller, ScopeRef ref, String key) {
        authorize(caller, ref, false);
        String k = key(key, "config key");
        return store(() -> config.get(ref.scope(), k))
                .map(v -> new ConfigEntry(k, v, ref.level(), ref.scope().name()))
                .orElseThrow(
                        () ->
                                ApiException.notFound(
                                        "config key '" + k + "' is not set on " + ref.describe()));
    }

    ConfigEntry put(Principal caller, ScopeRef ref, String key, String value) {
        authorize(caller, ref, true);
        String k = key(key, "config key");
        String v = value(value, "config value");
        store(
                () -> {
                    config.put(ref.scope(), k, v);
                    return null;
                });
        LOG.info("Config key {} set on {} by {}", k, ref.describe(), caller.tokenId());
        return new ConfigEntry(k, v, ref.level(), ref.scope().name());
    }

    void delete(Principal caller, ScopeRef ref, String key) {
        authorize(caller, ref, true);
        String k = key(key, "config key");
        if (!store(() -> config.delete(ref.scope(), k))) {
            throw ApiException.notFound("config key '" + k + "' is not set on " + ref.describe());
        }
        LOG.info("Config key {} deleted from {} by {}", k, ref.describe(), caller.tokenId());
    }

    // ---- secrets

    List<SecretName> secretNames(Principal caller, ScopeRef ref) {
        authorize(caller, ref, false);
        return store(() -> secrets.names(ref.scope())).stream()
                .map(n -> new SecretName(n, ref.level(), ref.scope().name()))
                .toList();
    }

    /**
     * Sets a secret.
     *
     * @return true when it was new
     */
    boolean putSecret(Principal caller, ScopeRef ref, String name, String value) {
        authorize(caller, ref, true);
        String n = key(name, "secret name");
        String v = value(value, "secret value");
        boolean created =
                store(
                        () -> {
                            boolean existed = secrets.names(ref.scope()).contains(n);
                            secrets.put(ref.scope(), n, v);
                            return !existed;
                        });
        LOG.info(
                "Secret {} {} on {} by {}",
                n,
                created ? "created" : "replaced",
                ref.describe(),
                caller.tokenId());
        return created;
    }

    void deleteSecret(Principal caller, ScopeRef ref, String name) {
        authorize(caller, ref, true);
        String n = key(name, "secret name");
        if (!store(() -> secrets.delete(ref.scope(), n))) {
            throw ApiException.notFound("secret '" + n + "' is not set on " + ref.describe());
        }
        LOG.info("Secret {} deleted from {} by {}", n, ref.describe(), caller.tokenId());
    }

    /**
     * Removes every config value and secret of a service (the service is being deleted, or a new
     * service takes a name that has leftovers). No caller check: the manager calls this itself.
     */
    public void purgeService(String service) {
        ConfigScope scope = ConfigScope.service(scopeName(service, "service"));
        int values = 0;
        for (String key : config.list(scope).keySet()) {
            values += config.delete(scope, key) ? 1 : 0;
        }
        int removed = 0;
        for (String name : secrets.names(scope)) {
            removed += secrets.delete(scope, name) ? 1 : 0;
        }
        if (values + removed > 0) {
            LOG.info(
                    "Removed {} config values and {} secrets of service {}",
                    values,
                    removed,
                    service);
        }
    }

    // ---- rules

    /**
     * Reads need viewer on the scope's project, writes developer; the platform scope needs a role
     * on '*' to read and admin on '*' to write. The project must exist (checked after the role, so
     * a caller without rights learns nothing about other projects).
     */
    private void authorize(Principal caller, ScopeRef ref, boolean write) {
        if (ref.isPlatform()) {
            if (write) {
                caller.requirePlatformAdmin();
            } else {
                caller.require(Principal.ALL_PROJECTS, Role.VIEWER);
            }
            return;
        }
        caller.require(ref.project(), write ? Role.DEVELOPER : Role.VIEWER);
        if (ref.scope().level() == ConfigScope.Level.PROJECT && !projectExists(ref.project())) {
            throw ApiException.notFound("project '" + ref.project() + "' does not exist");
        }
    }

    private boolean projectExists(String project) {
        return db.read(
                c -> {
                    try (var ps = c.prepareStatement("SELECT 1 FROM projects WHERE name = ?")) {
                        ps.setString(1, project);
                        try (var rs = ps.executeQuery()) {
                            return rs.next();
                        }
                    }
                });
    }

    private static List<ConfigEntry> entries(ScopeRef ref, Map<String, String> values) {
        List<ConfigEntry> out = new ArrayList<>();
        new TreeMap<>(values)
                .forEach((k, v) -> out.add(new ConfigEntry(k, v, ref.level(), ref.scope().name())));
        return out;
    }

    private static String scopeName(String name, String what) {
        try {
            return ConfigKeys.key(name, what + " name");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String key(String key, String what) {
        try {
            return ConfigKeys.key(key, what);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Checks a value; the messages of {@link ConfigKeys#value} never contain the value. */
    private static String value(String value, String what) {
        try {
            return ConfigKeys.value(value, what);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Store calls: a rule the store enforces is the caller's mistake (400), not ours (500). */
    private static <T> T store(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Keeps insertion order for callers that want a map (unused fields stay out of answers). */
    static Map<String, Object> created(String name, ScopeRef ref, boolean created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("level", ref.level());
        m.put("scope", ref.scope().name());
        m.put("created", created);
        return m;
    }
}
