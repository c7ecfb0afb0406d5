package io.fxflink.manager.config;

import io.fxflink.config.ConfigScope;
import io.fxflink.manager.access.Principal;
import java.util.Locale;

/**
 * A config scope as the API addresses it, with the project whose roles govern it: the platform
 * scope is governed by roles on every project ('*'), a project by itself, a service by its project.
 */
record ScopeRef(ConfigScope scope, String project) {

    static ScopeRef platform() {
        return new ScopeRef(ConfigScope.PLATFORM, Principal.ALL_PROJECTS);
    }

    String level() {
        return scope.level().name().toLowerCase(Locale.ROOT);
    }

    boolean isPlatform() {
        return scope.level() == ConfigScope.Level.PLATFORM;
    }

    /** For messages and logs, e.g. "service 'billing'" or "the platform". */
    String describe() {
        return isPlatform() ? "the platform" : level() + " '" + scope.name() + "'";
    }
}
