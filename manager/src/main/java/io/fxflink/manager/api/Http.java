package io.fxflink.manager.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fxflink.manager.access.Principal;
import io.javalin.http.Context;

/** Helpers shared by the controllers: the caller, JSON bodies and query parameters. */
public final class Http {
    public static final String PRINCIPAL = "fx.principal";

    private Http() {}

    /** The authenticated caller (set by the bearer-token filter before every /api route). */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw ApiException.unauthorized("missing bearer token");
        }
        return p;
    }

    /** The JSON body as {@code type}; 400 naming the problem when it is missing or malformed. */
    public static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw ApiException.badRequest("request body is empty; expected a JSON object");
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(
                    "unknown field '"
                            + e.getPropertyName()
                            + "'; known fields: "
                            + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    public static int intQuery(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw ApiException.badRequest(
                        "query parameter '" + name + "' must be between " + min + " and " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "query parameter '" + name + "' must be an integer, was '" + v + "'");
        }
    }

    public static java.time.Instant instantQuery(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(v.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(
                    "query parameter '"
                            + name
                            + "' must be an ISO-8601 timestamp with offset, e.g."
                            + " 2025-01-31T12:00:00Z; was '"
                            + v
                            + "'");
        }
    }
}
