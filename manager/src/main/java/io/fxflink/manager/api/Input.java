package io.fxflink.manager.api;

import io.fxflink.contracts.internal.Checks;

/**
 * The platform's one set of text rules ({@code fx-contracts} {@code Checks}), applied to what
 * callers send, as 400s. Ids, names, keys and query parameters hold no control characters and no
 * unpaired surrogates; free text holds no NUL and no unpaired surrogates (PostgreSQL refuses both).
 * Messages name the field and the offending character, never the value.
 */
public final class Input {
    /** Longest query or path parameter the API reads (ids, names, filters, timestamps). */
    public static final int MAX_PARAM_CHARS = 1024;

    /** Longest message an error body carries; what a caller sent is never echoed whole. */
    public static final int MAX_MESSAGE_CHARS = 512;

    private Input() {}

    /** An id, name, key or event type: not blank, at most {@code maxChars}, no control chars. */
    public static String id(String value, String field, int maxChars) {
        try {
            return Checks.attribute(value, field, maxChars);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Like {@link #id} but null is allowed. */
    public static String optionalId(String value, String field, int maxChars) {
        try {
            return Checks.optionalAttribute(value, field, maxChars);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Free text (null allowed): at most {@code maxChars}, no NUL, no unpaired surrogate. */
    public static String text(String value, String field, int maxChars) {
        try {
            return Checks.optionalText(value, field, maxChars);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** {@code value} cut to {@code max} characters (never between the halves of a pair). */
    public static String clip(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = max;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "… (" + (value.length() - end) + " more characters)";
    }
}
