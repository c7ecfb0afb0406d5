package io.fxflink.manager.access;

import io.fxflink.manager.api.ApiException;
import java.util.Locale;

/**
 * Roles per project, ordered: an admin may do what a developer may, a developer what a viewer may.
 */
public enum Role {
    VIEWER,
    DEVELOPER,
    ADMIN;

    public boolean covers(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        if (value != null) {
            for (Role r : values()) {
                if (r.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw ApiException.badRequest(
                "role must be one of admin, developer, viewer; was '" + value + "'");
    }
}
