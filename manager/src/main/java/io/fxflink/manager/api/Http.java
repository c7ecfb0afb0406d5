package io.fxflink.manager.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fxflink.contracts.internal.Checks;
import io.fxflink.manager.access.Principal;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/** Helpers shared by the controllers: the caller, JSON bodies and query parameters. */
public final class Http {
    public static final String PRINCIPAL = "fx.principal";

    /**
     * Largest body of a JSON route (uploads, events and config values have limits of their own).
     */
    public static final int MAX_JSON_BODY_BYTES = 1 << 20;

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
        JsonNode node = jsonBody(ctx, MAX_JSON_BODY_BYTES);
        if (node == null) {
            throw ApiException.badRequest("request body is empty; expected a JSON object");
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(
                    "expected a JSON object, was "
                            + describe(node)
                            + " (e.g. {\"name\": \"...\"})");
        }
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(
                    "unknown field '"
                            + Input.clip(e.getPropertyName(), 64)
                            + "'; known fields: "
                            + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            throw ApiException.badRequest(
                    "field '"
                            + path(e)
                            + "' must be "
                            + expected(e.getTargetType())
                            + " (wrong JSON type)");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ApiException.badRequest("invalid JSON body: " + plain(e));
        }
    }

    /**
     * The body, read up to {@code maxBytes}: a declared length above it is refused before anything
     * is read, a chunked body as soon as it passes it (413).
     */
    public static byte[] bodyBytes(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out =
                    new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, 64 * 1024)));
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw tooLarge(-1, maxBytes);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read: " + plain(e));
        }
    }

    private static ApiException tooLarge(long declared, int maxBytes) {
        return ApiException.tooLarge(
                (declared >= 0
                                ? "request body is " + declared + " bytes;"
                                : "request body is larger than this route takes:")
                        + " this route takes at most "
                        + maxBytes
                        + " bytes");
    }

    /** The body as a JSON tree (strict, text checked), or null when there is no body. */
    public static JsonNode jsonBody(Context ctx, int maxBytes) {
        return json(bodyBytes(ctx, maxBytes));
    }

    /**
     * Strict JSON (no trailing data, no duplicate keys) whose every string and key is storable text
     * (no NUL, no unpaired surrogate); null for an empty body. Messages never quote the body.
     */
    public static JsonNode json(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("JSON body too deeply nested or a value too long");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + plain(e));
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + plain(e));
        }
        if (node == null || node.isMissingNode()) {
            return null;
        }
        checkText(node);
        return node;
    }

    /** Every key and string of the tree is text PostgreSQL and Kafka can hold. */
    private static void checkText(JsonNode root) {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isTextual()) {
                text(n.textValue(), "a string value");
            } else if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    text(e.getKey(), "a field name");
                    todo.push(e.getValue());
                }
            } else if (n.isArray()) {
                n.forEach(todo::push);
            }
        }
    }

    private static void text(String value, String what) {
        try {
            Checks.optionalText(value, what, Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "JSON body: " + e.getMessage().replaceFirst("^field '([^']*)'", "$1"));
        }
    }

    /** Jackson's message without source excerpts or class names. */
    private static String plain(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        // Jackson names Java types in backticks: keep the message, drop the names
        m = m.replaceAll("`[^`]*`", "the value").replaceAll("\\s+", " ");
        return Input.clip(m, 200);
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(Input.clip(ref.getFieldName(), 64));
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(body)" : sb.toString();
    }

    private static String expected(Class<?> t) {
        if (t == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(t) || t.isEnum()) {
            return "a string";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != boolean.class)) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case NULL -> "null";
            case ARRAY -> "a list";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            default -> "not an object";
        };
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
                    "query parameter '"
                            + name
                            + "' must be an integer, was '"
                            + Input.clip(v, 40)
                            + "'");
        }
    }

    /** An ISO-8601 instant between years 1 and 9999 (what PostgreSQL's timestamptz holds). */
    public static Instant instantQuery(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(v.trim()).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest(
                    "query parameter '"
                            + name
                            + "' must be an ISO-8601 timestamp with offset, e.g."
                            + " 2025-01-31T12:00:00Z; was '"
                            + Input.clip(v, 40)
                            + "'");
        }
        if (t.isBefore(Checks.MIN_TIME) || t.isAfter(Checks.MAX_TIME)) {
            throw ApiException.badRequest(
                    "query parameter '" + name + "' must be between years 1 and 9999");
        }
        return t;
    }
}
