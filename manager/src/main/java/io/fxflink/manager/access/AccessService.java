package io.fxflink.manager.access;

import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Db;
import io.fxflink.manager.api.Input;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tokens, roles and projects: authenticates requests and manages tokens. */
public final class AccessService {
    private static final Logger LOG = LoggerFactory.getLogger(AccessService.class);
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final int MAX_TOKEN_CHARS = 128;

    private final Db db;
    private final AccessRepository repo = new AccessRepository();

    public AccessService(Db db) {
        this.db = db;
    }

    /**
     * Creates the first admin token when there is none (first start). Safe with several manager
     * instances starting at once: only one creates it.
     *
     * @return the new token's value, to be shown once; empty when tokens already exist
     */
    public Optional<CreatedToken> bootstrapAdminToken() {
        return bootstrapAdminToken(null);
    }

    /**
     * Creates the first admin token when the database has none. With {@code preset} (from {@code
     * FX_BOOTSTRAP_ADMIN_TOKEN}) that value becomes the token, so a launcher that keeps it can use
     * it across restarts; only its SHA-256 is stored. When a token with that hash exists already,
     * or other tokens exist, nothing changes.
     *
     * @param preset the token value to use, or null/blank for a random one
     * @return the created token (its value is the preset when one was given); empty when nothing
     *     was created
     */
    public Optional<CreatedToken> bootstrapAdminToken(String preset) {
        boolean hasPreset = preset != null && !preset.isBlank();
        String token = hasPreset ? preset.trim() : Tokens.newToken();
        String hash = Tokens.sha256(token);
        return db.inTransaction(
                c -> {
                    repo.lockBootstrap(c);
                    if (repo.anyToken(c)) {
                        if (hasPreset && !repo.tokenHashExists(c, hash)) {
                            LOG.warn(
                                    "FX_BOOTSTRAP_ADMIN_TOKEN is ignored: the database has tokens"
                                            + " already and none is this one (it is only used for"
                                            + " the first token)");
                        }
                        return Optional.empty();
                    }
                    String id = Tokens.newId();
                    repo.insertToken(
                            c,
                            id,
                            "bootstrap-admin",
                            hash,
                            Map.of(Principal.ALL_PROJECTS, Role.ADMIN));
                    LOG.info(
                            "Created the first admin token {} ({})",
                            id,
                            hasPreset ? "from FX_BOOTSTRAP_ADMIN_TOKEN" : "random");
                    return Optional.of(
                            new CreatedToken(
                                    id,
                                    "bootstrap-admin",
                                    Map.of(Principal.ALL_PROJECTS, "admin"),
                                    token));
                });
    }

    /** The principal of an {@code Authorization} header value; 401 when missing or unknown. */
    public Principal authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw ApiException.unauthorized(
                    "missing bearer token: send 'Authorization: Bearer <token>'");
        }
        String h = authorizationHeader.trim();
        if (h.length() < 7 || !h.substring(0, 7).equalsIgnoreCase("bearer ")) {
            throw ApiException.unauthorized("the Authorization header must use the Bearer scheme");
        }
        String token = h.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw ApiException.unauthorized("invalid or revoked token");
        }
        String hash = Tokens.sha256(token);
        return db.read(c -> repo.findActiveByHash(c, hash))
                .orElseThrow(() -> ApiException.unauthorized("invalid or revoked token"));
    }

    /** Admins of a project may grant roles on that project; only platform admins may grant '*'. */
    public CreatedToken createToken(Principal caller, CreateTokenRequest request) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw ApiException.badRequest("field 'name' is required");
        }
        if (request.name().length() > 128) {
            throw ApiException.badRequest("field 'name' is longer than 128 characters");
        }
        // names show in lists, logs and audit lines: one line of plain text
        Input.id(request.name(), "name", 128);
        if (request.roles() == null || request.roles().isEmpty()) {
            throw ApiException.badRequest(
                    "field 'roles' must map at least one project to a role, e.g."
                            + " {\"default\":\"developer\"}");
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : request.roles().entrySet()) {
            String project = e.getKey();
            if (Principal.ALL_PROJECTS.equals(project)) {
                caller.requirePlatformAdmin();
            } else {
                caller.require(project, Role.ADMIN);
            }
            roles.put(project, Role.parse(e.getValue()));
        }
        String token = Tokens.newToken();
        String id = Tokens.newId();
        db.inTransaction(
                c -> {
                    for (String project : roles.keySet()) {
                        if (!Principal.ALL_PROJECTS.equals(project)
                                && !repo.projectExists(c, project)) {
                            throw ApiException.notFound("project '" + project + "' does not exist");
                        }
                    }
                    repo.insertToken(c, id, request.name(), Tokens.sha256(token), roles);
                    return null;
                });
        LOG.info("Token {} ('{}') created by {}", id, request.name(), caller.tokenId());
        Map<String, String> wire = new LinkedHashMap<>();
        roles.forEach((p, r) -> wire.put(p, r.wire()));
        return new CreatedToken(id, request.name(), wire, token);
    }

    /** Platform admins see every token; others see the tokens of projects they administer. */
    List<TokenInfo> listTokens(Principal caller) {
        List<TokenInfo> all = db.read(repo::listTokens);
        if (caller.isPlatformAdmin()) {
            return all;
        }
        return all.stream()
                .filter(
                        t ->
                                !t.roles().isEmpty()
                                        && t.roles().keySet().stream()
                                                .allMatch(p -> caller.can(p, Role.ADMIN)))
                .toList();
    }

    void revoke(Principal caller, String tokenId) {
        db.inTransaction(
                c -> {
                    Map<String, Role> roles =
                            repo.rolesOf(c, tokenId)
                                    .orElseThrow(
                                            () ->
                                                    ApiException.notFound(
                                                            "token '" + tokenId + "' not found"));
                    if (!caller.tokenId().equals(tokenId)) {
                        for (String project : roles.keySet()) {
                            if (Principal.ALL_PROJECTS.equals(project)) {
                                caller.requirePlatformAdmin();
                            } else {
                                caller.require(project, Role.ADMIN);
                            }
                        }
                        if (roles.isEmpty()) {
                            caller.requirePlatformAdmin();
                        }
                    }
                    repo.revoke(c, tokenId);
                    return null;
                });
        LOG.info("Token {} revoked by {}", tokenId, caller.tokenId());
    }

    List<ProjectInfo> listProjects(Principal caller) {
        return db.read(repo::listProjects).stream()
                .filter(p -> caller.can(p.name(), Role.VIEWER))
                .toList();
    }

    ProjectInfo createProject(Principal caller, CreateProjectRequest request) {
        caller.requirePlatformAdmin();
        String name = request == null ? null : request.name();
        if (name == null || !PROJECT.matcher(name).matches()) {
            throw ApiException.badRequest(
                    "field 'name' must be 1-63 lowercase letters, digits, '_' or '-', starting"
                            + " with a letter or digit");
        }
        boolean created = db.inTransaction(c -> repo.insertProject(c, name));
        if (!created) {
            throw ApiException.conflict("project '" + name + "' already exists");
        }
        LOG.info("Project {} created by {}", name, caller.tokenId());
        return new ProjectInfo(name, java.time.Instant.now());
    }

    /** Whether a project exists (for other features' validation). */
    public boolean projectExists(String name) {
        return db.read(c -> repo.projectExists(c, name));
    }
}
