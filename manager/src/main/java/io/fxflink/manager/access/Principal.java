package io.fxflink.manager.access;

import io.fxflink.manager.api.ApiException;
import java.util.Map;
import java.util.Optional;

/**
 * The caller of one request: a token and its roles per project. Project {@link #ALL_PROJECTS} is a
 * role on every project (the first admin token has admin there).
 */
public record Principal(String tokenId, String tokenName, Map<String, Role> roles) {
    public static final String ALL_PROJECTS = "*";

    public Principal {
        roles = Map.copyOf(roles);
    }

    public Optional<Role> roleIn(String project) {
        Role own = roles.get(project);
        Role all = roles.get(ALL_PROJECTS);
        if (own == null) {
            return Optional.ofNullable(all);
        }
        return Optional.of(all != null && all.covers(own) ? all : own);
    }

    public boolean can(String project, Role needed) {
        return roleIn(project).map(r -> r.covers(needed)).orElse(false);
    }

    /** Throws 403 naming the project and the role needed. */
    public void require(String project, Role needed) {
        if (!can(project, needed)) {
            throw ApiException.forbidden(
                    "token '"
                            + tokenName
                            + "' needs role "
                            + needed.wire()
                            + " on project '"
                            + project
                            + "'");
        }
    }

    /** Projects where this principal has at least {@code role}; null means every project. */
    public java.util.Set<String> projectsWith(Role role) {
        Role all = roles.get(ALL_PROJECTS);
        if (all != null && all.covers(role)) {
            return null;
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        roles.forEach(
                (p, r) -> {
                    if (!ALL_PROJECTS.equals(p) && r.covers(role)) {
                        out.add(p);
                    }
                });
        return out;
    }

    public boolean isPlatformAdmin() {
        return roles.get(ALL_PROJECTS) == Role.ADMIN;
    }

    public void requirePlatformAdmin() {
        if (!isPlatformAdmin()) {
            throw ApiException.forbidden(
                    "token '" + tokenName + "' needs role admin on all projects ('*')");
        }
    }
}
