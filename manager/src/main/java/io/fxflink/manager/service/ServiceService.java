package io.fxflink.manager.service;

import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.link.ServiceVersionSpec;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Db;
import io.fxflink.manager.api.Input;
import io.fxflink.manager.link.LinkOutbox;
import io.fxflink.manager.link.LinkRepository;
import io.fxflink.manager.link.LinkService;
import io.fxflink.manager.link.LinkView;
import io.fxflink.manager.service.ServiceRepository.ServiceRow;
import io.fxflink.manager.service.ServiceRepository.VersionRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service packages: validate, store by content hash, register a version, publish the service's
 * configuration and its manifest's default links through the outbox.
 */
public final class ServiceService {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceService.class);
    private static final Pattern NON_ID = Pattern.compile("[^A-Za-z0-9._-]");

    private final Db db;
    private final PackageStore store;
    private final PackageInspector inspector;
    private final LinkService linkService;
    private final Runnable afterCommit;
    private final Consumer<String> scopeReset;
    private final ServiceRepository repo = new ServiceRepository();
    private final LinkRepository links = new LinkRepository();
    private final LinkOutbox outbox = new LinkOutbox();

    public ServiceService(
            Db db,
            PackageStore store,
            PackageLimits limits,
            LinkService linkService,
            Runnable afterCommit) {
        this(db, store, limits, linkService, afterCommit, name -> {});
    }

    /**
     * @param scopeReset removes a service's config values and secrets: called after the service is
     *     deleted, and before a service of a name that does not exist is created, so a later
     *     service of the same name (maybe in another project) never inherits them
     */
    public ServiceService(
            Db db,
            PackageStore store,
            PackageLimits limits,
            LinkService linkService,
            Runnable afterCommit,
            Consumer<String> scopeReset) {
        this.scopeReset = scopeReset;
        this.db = db;
        this.store = store;
        this.inspector = new PackageInspector(limits);
        this.linkService = linkService;
        this.afterCommit = afterCommit;
    }

    UploadResult upload(Principal caller, String projectParam, byte[] zip) {
        InspectedPackage pkg;
        try {
            pkg = inspector.inspect(zip);
        } catch (InvalidPackageException e) {
            throw e.tooLarge()
                    ? ApiException.tooLarge(e.getMessage())
                    : new ApiException(400, "invalid_package", e.getMessage());
        }
        Manifest m = pkg.manifest();
        Input.optionalId(projectParam, "project", 256);
        String project =
                projectParam != null && !projectParam.isBlank()
                        ? projectParam
                        : m.project() != null ? m.project() : "default";
        if (m.project() != null && !m.project().equals(project)) {
            throw ApiException.badRequest(
                    "the manifest says project '"
                            + m.project()
                            + "' but the upload names project '"
                            + project
                            + "'");
        }
        caller.require(project, Role.DEVELOPER);
        // content-addressed: storing before the transaction is safe (an orphan is harmless and
        // a retry finds it), while registering a version without its package never happens
        store.putIfAbsent(pkg.objectKey(), zip);
        if (db.read(c -> repo.find(c, m.name(), false)).isEmpty()) {
            // a new name: leftovers of a deleted namesake (if removing them failed then) go first
            scopeReset.accept(m.name());
        }
        UploadResult result =
                db.inTransaction(
                        c -> {
                            if (!projectExists(c, project)) {
                                throw ApiException.notFound(
                                        "project '" + project + "' does not exist");
                            }
                            repo.insertIfAbsent(c, m.name(), project);
                            ServiceRow s = repo.find(c, m.name(), true).orElseThrow();
                            if (!s.project().equals(project)) {
                                throw ApiException.conflict(
                                        "service '"
                                                + m.name()
                                                + "' belongs to project '"
                                                + s.project()
                                                + "'; service names are unique across projects");
                            }
                            Optional<VersionRow> existing = repo.version(c, m.name(), m.version());
                            if (existing.isPresent()) {
                                if (existing.get().sha256().equals(pkg.sha256())) {
                                    return new UploadResult(
                                            false,
                                            ServiceView.of(s, repo.versions(c, s.name())),
                                            m.version(),
                                            pkg.sha256(),
                                            List.of());
                                }
                                throw ApiException.conflict(
                                        "version '"
                                                + m.version()
                                                + "' of service '"
                                                + m.name()
                                                + "' is already registered with another package;"
                                                + " versions are immutable, bump 'version'");
                            }
                            repo.insertVersion(c, m.name(), pkg);
                            repo.update(c, m.name(), s.active(), m.version());
                            publishConfig(c, m.name());
                            List<LinkView> defaults = syncDefaultLinks(c, project, m);
                            ServiceRow updated = repo.find(c, m.name(), false).orElseThrow();
                            return new UploadResult(
                                    true,
                                    ServiceView.of(updated, repo.versions(c, m.name())),
                                    m.version(),
                                    pkg.sha256(),
                                    defaults);
                        });
        afterCommit.run();
        LOG.info(
                "Service {} version {} uploaded by {} (sha256 {}, {} bytes, created={})",
                m.name(),
                m.version(),
                caller.tokenId(),
                pkg.sha256(),
                pkg.sizeBytes(),
                result.created());
        return result;
    }

    List<ServiceView> list(Principal caller) {
        var projects = caller.projectsWith(Role.VIEWER);
        return db.read(c -> repo.list(c, projects)).stream()
                .map(s -> ServiceView.of(s, null))
                .toList();
    }

    ServiceView get(Principal caller, String name) {
        return db.read(
                c -> {
                    ServiceRow s = require(c, name, false);
                    caller.require(s.project(), Role.VIEWER);
                    return ServiceView.of(s, repo.versions(c, name));
                });
    }

    List<ServiceView.VersionView> versions(Principal caller, String name) {
        return get(caller, name).versions();
    }

    ServiceView setActive(Principal caller, String name, boolean active) {
        ServiceView v =
                db.inTransaction(
                        c -> {
                            ServiceRow s = require(c, name, true);
                            caller.require(s.project(), Role.DEVELOPER);
                            repo.update(c, name, active, s.defaultVersion());
                            publishConfig(c, name);
                            return ServiceView.of(repo.find(c, name, false).orElseThrow(), null);
                        });
        afterCommit.run();
        LOG.info(
                "Service {} {} by {}",
                name,
                active ? "activated" : "deactivated",
                caller.tokenId());
        return v;
    }

    ServiceView setDefaultVersion(Principal caller, String name, String version) {
        if (version == null || version.isBlank()) {
            throw ApiException.badRequest("field 'version' is required");
        }
        Input.id(version, "version", 256);
        ServiceView v =
                db.inTransaction(
                        c -> {
                            ServiceRow s = require(c, name, true);
                            caller.require(s.project(), Role.DEVELOPER);
                            if (repo.version(c, name, version).isEmpty()) {
                                throw ApiException.badRequest(
                                        "service '" + name + "' has no version '" + version + "'");
                            }
                            repo.update(c, name, s.active(), version);
                            publishConfig(c, name);
                            return ServiceView.of(repo.find(c, name, false).orElseThrow(), null);
                        });
        afterCommit.run();
        return v;
    }

    /** Refused while links point to the service, unless {@code force} (then they go too). */
    void delete(Principal caller, String name, boolean force) {
        db.inTransaction(
                c -> {
                    ServiceRow s = require(c, name, true);
                    caller.require(s.project(), Role.DEVELOPER);
                    List<LinkRepository.StoredLink> pointing = links.byService(c, name);
                    if (!pointing.isEmpty() && !force) {
                        throw ApiException.conflict(
                                "service '"
                                        + name
                                        + "' is the target of "
                                        + pointing.size()
                                        + " link(s) "
                                        + pointing.stream()
                                                .map(l -> l.link().id())
                                                .limit(10)
                                                .toList()
                                        + "; delete them first or pass force=true");
                    }
                    for (LinkRepository.StoredLink l : pointing) {
                        linkService.deleteInTx(c, l.link().id());
                    }
                    repo.delete(c, name);
                    outbox.append(c, LinkTopicRecord.delete(LinkTopicKey.service(name)));
                    return null;
                });
        afterCommit.run();
        LOG.info("Service {} deleted by {} (force={})", name, caller.tokenId(), force);
        try {
            scopeReset.accept(name);
        } catch (RuntimeException e) {
            LOG.error(
                    "Service {} is deleted but its config and secrets could not be removed; they"
                            + " are removed before a service of that name is created again",
                    name,
                    e);
        }
    }

    /** The service's manifest of its default version (for manual runs). */
    public Optional<Manifest> defaultManifest(String name) {
        return db.read(
                c -> {
                    Optional<ServiceRow> s = repo.find(c, name, false);
                    if (s.isEmpty() || s.get().defaultVersion() == null) {
                        return Optional.empty();
                    }
                    return repo.version(c, name, s.get().defaultVersion())
                            .map(VersionRow::manifest);
                });
    }

    private ServiceRow require(Connection c, String name, boolean forUpdate) throws SQLException {
        return repo.find(c, name, forUpdate)
                .orElseThrow(() -> ApiException.notFound("service '" + name + "' not found"));
    }

    private void publishConfig(Connection c, String name) throws SQLException {
        ServiceRow s = repo.find(c, name, false).orElseThrow();
        List<VersionRow> versions = repo.versions(c, name);
        Map<String, ServiceVersionSpec> specs = new LinkedHashMap<>();
        Manifest defaults = null;
        for (VersionRow v : versions) {
            specs.put(v.version(), spec(v));
            if (v.version().equals(s.defaultVersion())) {
                defaults = v.manifest();
            }
        }
        ServiceConfig config =
                new ServiceConfig(
                        name,
                        outbox.nextVersion(c),
                        s.project(),
                        s.active(),
                        defaults == null || defaults.manualTriggeringAllowed(),
                        defaults == null ? null : defaults.schedule(),
                        s.defaultVersion(),
                        specs);
        outbox.append(c, LinkTopicRecord.upsert(config));
    }

    private static ServiceVersionSpec spec(VersionRow v) {
        Manifest m = v.manifest();
        int timeout =
                m.timeoutSeconds() == null ? Manifest.DEFAULT_TIMEOUT_SECONDS : m.timeoutSeconds();
        return new ServiceVersionSpec(
                v.packageKey(),
                v.sha256(),
                "jvm".equals(m.runtime().toLowerCase(Locale.ROOT))
                        ? ServiceRuntime.JVM
                        : ServiceRuntime.PYTHON,
                timeout * 1000L,
                m.retries() == null ? 0 : m.retries(),
                m.retryBackoffSeconds() == null ? 0 : m.retryBackoffSeconds() * 1000L,
                m.concurrency() == null ? 1 : m.concurrency(),
                m.priority() == null ? 0 : m.priority(),
                m.scripts());
    }

    /**
     * One link per trigger event, id {@code <service>.trigger.<event type>}, pointing to the new
     * version. Links the user changed through the API (origin 'api') are left alone; default links
     * for trigger events the new manifest no longer lists are deleted.
     */
    private List<LinkView> syncDefaultLinks(Connection c, String project, Manifest m)
            throws SQLException {
        List<LinkView> out = new ArrayList<>();
        Map<String, LinkRepository.StoredLink> existing = new LinkedHashMap<>();
        for (LinkRepository.StoredLink l : links.byService(c, m.name())) {
            existing.put(l.link().id(), l);
        }
        Set<String> wanted = new java.util.HashSet<>();
        for (String trigger : m.triggerEventsOrEmpty()) {
            boolean prefix = trigger.endsWith("*");
            String type = prefix ? trigger.substring(0, trigger.length() - 1) : trigger;
            String id = defaultLinkId(m.name(), trigger);
            wanted.add(id);
            LinkRepository.StoredLink current = existing.get(id);
            if (current != null && !"manifest".equals(current.origin())) {
                continue;
            }
            Link link =
                    Link.toVersion(
                            id,
                            outbox.nextVersion(c),
                            project,
                            type,
                            prefix ? MatchType.PREFIX : MatchType.EXACT,
                            null,
                            m.name(),
                            m.version(),
                            current == null || current.link().enabled(),
                            Instant.now());
            out.add(linkService.save(c, link, "manifest"));
        }
        for (LinkRepository.StoredLink l : existing.values()) {
            if ("manifest".equals(l.origin()) && !wanted.contains(l.link().id())) {
                linkService.deleteInTx(c, l.link().id());
            }
        }
        return out;
    }

    static String defaultLinkId(String service, String trigger) {
        String id = service + ".trigger." + NON_ID.matcher(trigger).replaceAll("_");
        return id.length() <= 128
                ? id
                : id.substring(0, 119) + "." + Integer.toHexString(id.hashCode());
    }

    private static boolean projectExists(Connection c, String project) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM projects WHERE name = ?")) {
            ps.setString(1, project);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Health: the object store answers. */
    public void checkStore() {
        store.check();
    }
}
