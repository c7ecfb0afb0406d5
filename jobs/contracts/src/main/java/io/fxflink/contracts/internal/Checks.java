package io.fxflink.contracts.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Field checks shared by the record types. Messages name the field; the codec prefixes the record
 * type, so a decode failure reads "invalid Link: field 'id' must not be blank".
 */
public final class Checks {
    /** Upper bound for ids and names (link ids, service names, versions, execution ids). */
    public static final int MAX_ID_CHARS = 256;

    /** Upper bound for ids derived from other ids (e.g. executionId + attempt + sequence). */
    public static final int MAX_DERIVED_ID_CHARS = 512;

    /** Upper bound for short free text (event sources, subjects, reasons, paths). */
    public static final int MAX_TEXT_CHARS = 4096;

    /**
     * Earliest and latest time a record may carry: inside what PostgreSQL's timestamptz and
     * Elasticsearch's date hold, so a stored record is never refused by a database.
     */
    public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static final char REPLACEMENT = '\uFFFD';

    private Checks() {}

    /** Index of the first character no id may hold (control, unpaired surrogate), or -1. */
    private static int firstNonPlain(String value) {
        return firstRefused(value, true);
    }

    /**
     * Index of the first character no stored text may hold, or -1: NUL (PostgreSQL text refuses it)
     * and unpaired surrogates (not encodable as UTF-8). Line breaks and tabs are text.
     */
    private static int firstUnstorable(String value) {
        return firstRefused(value, false);
    }

    private static int firstRefused(String value, boolean anyControl) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (anyControl ? Character.isISOControl(c) : c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c)
                        && i + 1 < n
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String describe(char c) {
        return String.format("U+%04X", (int) c);
    }

    /**
     * Free text from service code or from an outside error (log lines, errors, dead-letter
     * reasons): NUL and unpaired surrogates become U+FFFD, so the text can always be stored; the
     * rest is kept as it is. Returns {@code value} itself when nothing needed replacing.
     */
    public static String storable(String value) {
        if (value == null || firstUnstorable(value) < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                sb.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                sb.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append(REPLACEMENT);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    // names end up in Kafka keys, object keys, metric tags and file paths: keep them plain.
    // [A-Za-z0-9][A-Za-z0-9._-]{0,255} as a loop: checked for every execution request the router
    // builds, where the regex showed in profiles
    private static boolean isName(String value) {
        int n = value.length();
        if (n < 1 || n > 256 || !isAsciiAlnum(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = value.charAt(i);
            if (!isAsciiAlnum(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** [0-9a-f]{64}. */
    private static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }

    /** A non-blank id of at most {@link #MAX_ID_CHARS} characters without control characters. */
    public static String id(String value, String field) {
        return attribute(value, field, MAX_ID_CHARS);
    }

    /**
     * A non-blank CloudEvents attribute value (or an id): at most {@code maxChars}, no control
     * characters (U+0000-U+001F, U+007F-U+009F) and no unpaired surrogates, which the CloudEvents
     * String type excludes and which no header, key or database column should carry.
     */
    public static String attribute(String value, String field, int maxChars) {
        nonBlank(value, field);
        return optionalAttribute(value, field, maxChars);
    }

    /** Like {@link #attribute}, but null and blank are allowed. */
    public static String optionalAttribute(String value, String field, int maxChars) {
        return value == null ? null : plain(maxLength(value, field, maxChars), field);
    }

    private static String plain(String value, String field) {
        int at = firstNonPlain(value);
        if (at >= 0) {
            throw new IllegalArgumentException(
                    "field '"
                            + field
                            + "' contains a control character or an unpaired surrogate ("
                            + describe(value.charAt(at))
                            + " at index "
                            + at
                            + ")");
        }
        return value;
    }

    /** A service name or version: letters, digits, '.', '_', '-'; at most 256 characters. */
    public static String name(String value, String field) {
        id(value, field);
        if (!isName(value)) {
            throw new IllegalArgumentException(
                    "field '"
                            + field
                            + "' may only contain letters, digits, '.', '_' and '-' (and must"
                            + " start with a letter or digit)");
        }
        return value;
    }

    /** A record id built from other ids (see {@code OpsRecordIds}). */
    public static String recordId(String value, String field) {
        return attribute(value, field, MAX_DERIVED_ID_CHARS);
    }

    public static String optionalId(String value, String field) {
        return value == null ? null : id(value, field);
    }

    public static String text(String value, String field, int maxChars) {
        nonBlank(value, field);
        return optionalText(value, field, maxChars);
    }

    private static void nonBlank(String value, String field) {
        required(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' must not be blank");
        }
    }

    private static String maxLength(String value, String field, int maxChars) {
        if (value.length() > maxChars) {
            throw new IllegalArgumentException(
                    "field '"
                            + field
                            + "' is too long: "
                            + value.length()
                            + " chars (max "
                            + maxChars
                            + ")");
        }
        return value;
    }

    /**
     * Text of at most {@code maxChars} without NUL or unpaired surrogates (see {@link #storable}).
     */
    public static String optionalText(String value, String field, int maxChars) {
        if (value == null) {
            return null;
        }
        maxLength(value, field, maxChars);
        int at = firstUnstorable(value);
        if (at >= 0) {
            throw new IllegalArgumentException(
                    "field '"
                            + field
                            + "' contains a NUL character or an unpaired surrogate ("
                            + describe(value.charAt(at))
                            + " at index "
                            + at
                            + ")");
        }
        return value;
    }

    /** A time between {@link #MIN_TIME} and {@link #MAX_TIME}. */
    public static Instant time(Instant value, String field) {
        required(value, field);
        if (value.isBefore(MIN_TIME) || value.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be between years 1 and 9999, was " + value);
        }
        return value;
    }

    public static String sha256(String value, String field) {
        required(value, field);
        if (!isSha256Hex(value)) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be 64 lowercase hex characters (a SHA-256)");
        }
        return value;
    }

    public static long range(long value, long min, long max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "field '"
                            + field
                            + "' must be between "
                            + min
                            + " and "
                            + max
                            + ", was "
                            + value);
        }
        return value;
    }

    public static int range(int value, int min, int max, String field) {
        return (int) range((long) value, min, max, field);
    }

    public static <T> List<T> list(List<T> value, String field, int maxSize) {
        if (value == null) {
            return List.of();
        }
        size(value, field, maxSize);
        for (T item : value) {
            if (item == null) {
                throw new IllegalArgumentException("field '" + field + "' contains a null entry");
            }
        }
        return List.copyOf(value);
    }

    public static <V> Map<String, V> map(Map<String, V> value, String field, int maxSize) {
        if (value == null) {
            return Map.of();
        }
        if (value.size() > maxSize) {
            throw new IllegalArgumentException(
                    "field '" + field + "' has " + value.size() + " entries (max " + maxSize + ")");
        }
        for (Map.Entry<String, V> e : value.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException(
                        "field '" + field + "' contains a null key or value");
            }
            optionalText(e.getKey(), field + " key", MAX_ID_CHARS);
        }
        return Map.copyOf(value);
    }

    private static void size(Collection<?> value, String field, int maxSize) {
        if (value.size() > maxSize) {
            throw new IllegalArgumentException(
                    "field '" + field + "' has " + value.size() + " entries (max " + maxSize + ")");
        }
    }
}
