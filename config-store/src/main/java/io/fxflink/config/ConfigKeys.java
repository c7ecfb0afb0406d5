package io.fxflink.config;

import java.util.regex.Pattern;

/**
 * Rules every store applies to keys, secret names, scope names and values, so the PostgreSQL and
 * Consul implementations accept and reject exactly the same input (Consul keys are paths, so a '/'
 * in a name would silently change the scope).
 */
public final class ConfigKeys {
    public static final int MAX_KEY_CHARS = 256;
    public static final int MAX_VALUE_CHARS = 64 * 1024;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:-]{0,255}");

    private ConfigKeys() {}

    /** A key or secret name: letters, digits, '.', '_', ':', '-'; at most 256 characters. */
    public static String key(String key, String what) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(
                    what
                            + " '"
                            + clip(key)
                            + "' is invalid: use letters, digits, '.', '_', ':' and '-' (at most "
                            + MAX_KEY_CHARS
                            + " characters, not starting with '.', ':' or '-')");
        }
        return key;
    }

    public static ConfigScope scope(ConfigScope scope) {
        if (scope == null) {
            throw new IllegalArgumentException("scope must not be null");
        }
        if (scope.level() != ConfigScope.Level.PLATFORM) {
            key(scope.name(), scope.level().name().toLowerCase() + " scope name");
        } else if (!scope.name().isEmpty()) {
            throw new IllegalArgumentException("the platform scope has no name");
        }
        return scope;
    }

    public static String value(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null (use delete)");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException(
                    what
                            + " is too long: "
                            + value.length()
                            + " characters (max "
                            + MAX_VALUE_CHARS
                            + ")");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL characters");
        }
        return value;
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
