package io.fxflink.manager.link;

import io.fxflink.contracts.internal.Checks;
import io.fxflink.contracts.link.CesqlFilters;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.WeightedVersion;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Db;
import io.fxflink.manager.api.Input;
import io.fxflink.manager.service.ServiceRepository;
import io.fxflink.manager.service.ServiceRepository.ServiceRow;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Late links: validated at the edge (event type, match, CloudEvents SQL filter, target versions),
 * stored, and appended to the outbox in the same transaction.
 */
public final class LinkService {
    private static final Logger LOG = LoggerFactory.getLogger(LinkService.class);
    private static final Pattern LINK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;
    private final LinkRepository links = new LinkRepository();
    private final ServiceRepository services = new ServiceRepository();
    private final LinkOutbox outbox = new LinkOutbox();
    private final Runnable afterCommit;

    /**
     * @param afterCommit called after every commit that appended to the outbox (wakes the relay)
     */
    public LinkService(Db db, Runnable afterCommit) {
        this.db = db;
        this.afterCommit = afterCommit;
    }

    List<LinkView> list(Principal caller, String service, String eventType) {
        var projects = caller.projectsWith(Role.VIEWER);
        return db.read(c -> links.list(c, projects, service, eventType)).stream()
                .map(LinkView::of)
                .toList();
    }

    LinkView get(Principal caller, String id) {
        LinkRepository.StoredLink s =
                db.read(c -> links.find(c, id, false))
                        .orElseThrow(() -> ApiException.notFound("link '" + id + "' not found"));
        caller.require(s.link().project(), Role.VIEWER);
        return LinkView.of(s);
    }

    LinkView create(Principal caller, LinkRequest req) {
        if (req == null) {
            throw ApiException.badRequest("request body is required");
        }
        String id = req.id() == null ? newId() : checkId(req.id());
        LinkView view =
                db.inTransaction(
                        c -> {
                            if (links.find(c, id, true).isPresent()) {
                                throw ApiException.conflict(
                                        "link '" + id + "' already exists; use PUT to change it");
                            }
                            Link link = build(c, caller, id, req, null);
                            return save(c, link, "api");
                        });
        afterCommit.run();
        LOG.info("Link {} created by {}", id, caller.tokenId());
        return view;
    }

    LinkView replace(Principal caller, String id, LinkRequest req) {
        if (req == null) {
            throw ApiException.badRequest("request body is required");
        }
        if (req.id() != null && !req.id().equals(id)) {
            throw ApiException.badRequest("field 'id' must match the path or be left out");
        }
        LinkView view =
                db.inTransaction(
                        c -> {
                            LinkRepository.StoredLink current =
                                    links.find(c, id, true)
                                            .orElseThrow(
                                                    () ->
                                                            ApiException.notFound(
                                                                    "link '" + id + "' not found"));
                            caller.require(current.link().project(), Role.DEVELOPER);
                            Link link = build(c, caller, id, req, current.link());
                            return save(c, link, "api");
                        });
        afterCommit.run();
        LOG.info("Link {} changed by {}", id, caller.tokenId());
        return view;
    }

    LinkView setEnabled(Principal caller, String id, boolean enabled) {
        LinkView view =
                db.inTransaction(
                        c -> {
                            LinkRepository.StoredLink s =
                                    links.find(c, id, true)
                                            .orElseThrow(
                                                    () ->
                                                            ApiException.notFound(
                                                                    "link '" + id + "' not found"));
                            Link l = s.link();
                            caller.require(l.project(), Role.DEVELOPER);
                            Link changed =
                                    new Link(
                                            l.id(),
                                            outbox.nextVersion(c),
                                            l.project(),
                                            l.eventType(),
                                            l.match(),
                                            l.filter(),
                                            l.service(),
                                            l.serviceVersion(),
                                            l.weightedVersions(),
                                            enabled,
                                            Instant.now());
                            return save(c, changed, s.origin());
                        });
        afterCommit.run();
        LOG.info("Link {} {} by {}", id, enabled ? "enabled" : "disabled", caller.tokenId());
        return view;
    }

    void delete(Principal caller, String id) {
        db.inTransaction(
                c -> {
                    LinkRepository.StoredLink s =
                            links.find(c, id, true)
                                    .orElseThrow(
                                            () ->
                                                    ApiException.notFound(
                                                            "link '" + id + "' not found"));
                    caller.require(s.link().project(), Role.DEVELOPER);
                    deleteInTx(c, id);
                    return null;
                });
        afterCommit.run();
        LOG.info("Link {} deleted by {}", id, caller.tokenId());
    }

    /** Deletes a link and appends its tombstone (used by service deletion too). */
    public void deleteInTx(Connection c, String id) throws SQLException {
        if (links.delete(c, id)) {
            outbox.append(c, LinkTopicRecord.delete(LinkTopicKey.link(id)));
        }
    }

    /** Stores a link and appends it to the outbox (used by default links too). */
    public LinkView save(Connection c, Link link, String origin) throws SQLException {
        links.upsert(c, link, origin);
        outbox.append(c, LinkTopicRecord.upsert(link));
        return LinkView.of(new LinkRepository.StoredLink(link, origin));
    }

    private Link build(Connection c, Principal caller, String id, LinkRequest req, Link current)
            throws SQLException {
        if (req.service() == null || req.service().isBlank()) {
            throw ApiException.badRequest("field 'service' is required");
        }
        if (req.eventType() == null || req.eventType().isBlank()) {
            throw ApiException.badRequest("field 'eventType' is required");
        }
        // event types are CloudEvents attributes: no control characters (no CR/LF), bounded
        Input.id(req.eventType(), "eventType", Checks.MAX_ID_CHARS);
        Input.id(req.service(), "service", Checks.MAX_ID_CHARS);
        Input.optionalId(req.serviceVersion(), "serviceVersion", Checks.MAX_ID_CHARS);
        MatchType match = parseMatch(req.match());
        String prefix = req.eventType().strip();
        while (prefix.endsWith("*")) {
            prefix = prefix.substring(0, prefix.length() - 1).strip();
        }
        if (prefix.isEmpty()) {
            throw ApiException.badRequest(
                    "field 'eventType' must name event types: a link on '*' would trigger the"
                            + " service for every event, its own included; use a prefix such as"
                            + " 'com.example.'");
        }
        if (req.filter() != null) {
            CesqlFilters.problem(req.filter())
                    .ifPresent(
                            p -> {
                                throw ApiException.badRequest("field 'filter': " + p);
                            });
        }
        ServiceRow service =
                services.find(c, req.service(), false)
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "service '" + req.service() + "' not found"));
        caller.require(service.project(), Role.DEVELOPER);
        String version = req.serviceVersion();
        List<WeightedVersion> weighted = req.weightedVersions();
        if (version != null && weighted != null && !weighted.isEmpty()) {
            throw ApiException.badRequest(
                    "set either 'serviceVersion' or 'weightedVersions', not both");
        }
        if (version == null && (weighted == null || weighted.isEmpty())) {
            version = service.defaultVersion();
            if (version == null) {
                throw ApiException.badRequest(
                        "service '" + service.name() + "' has no versions to link to");
            }
        }
        if (version != null) {
            requireVersion(c, service.name(), version);
        } else {
            for (WeightedVersion wv : weighted) {
                if (wv == null) {
                    throw ApiException.badRequest("field 'weightedVersions' contains null");
                }
                requireVersion(c, service.name(), wv.version());
            }
        }
        boolean enabled =
                req.enabled() != null ? req.enabled() : current == null || current.enabled();
        try {
            return new Link(
                    id,
                    outbox.nextVersion(c),
                    service.project(),
                    req.eventType(),
                    match,
                    req.filter(),
                    service.name(),
                    version,
                    version == null ? weighted : null,
                    enabled,
                    Instant.now());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private void requireVersion(Connection c, String service, String version) throws SQLException {
        if (services.version(c, service, version).isEmpty()) {
            throw ApiException.badRequest(
                    "service '" + service + "' has no version '" + version + "'");
        }
    }

    private static MatchType parseMatch(String match) {
        if (match == null) {
            return MatchType.EXACT;
        }
        try {
            return MatchType.valueOf(match.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "field 'match' must be EXACT or PREFIX, was '" + match + "'");
        }
    }

    private static String checkId(String id) {
        if (!LINK_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "field 'id' may only contain letters, digits, '.', '_' and '-' (max 128)");
        }
        return id;
    }

    private static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "lnk-" + HexFormat.of().formatHex(b);
    }
}
