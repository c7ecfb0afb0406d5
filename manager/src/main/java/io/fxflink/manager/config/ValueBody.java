package io.fxflink.manager.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.config.ConfigKeys;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Json;
import java.io.IOException;
import java.util.Iterator;

/**
 * Reads {@code {"value": "..."}}. Error messages never quote the body: for secrets it is the
 * secret, and Jackson's own messages would echo parts of it.
 */
final class ValueBody {
    /** Room for the largest value with JSON escaping (up to 6 bytes per character) and braces. */
    static final int MAX_BODY_BYTES = ConfigKeys.MAX_VALUE_CHARS * 6 + 1024;

    private ValueBody() {}

    static String read(byte[] body, String what) {
        if (body.length == 0) {
            throw ApiException.badRequest(
                    "request body is empty; expected {\"value\": \"...\"} with the " + what);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw ApiException.tooLarge(
                    "request body is "
                            + body.length
                            + " bytes; a "
                            + what
                            + " has at most "
                            + ConfigKeys.MAX_VALUE_CHARS
                            + " characters");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest(
                    "malformed JSON body; expected {\"value\": \"...\"} with the " + what);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("expected a JSON object {\"value\": \"...\"}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            if (!it.next().equals("value")) {
                // the name is not quoted back: a secret pasted as a field name stays unseen
                throw ApiException.badRequest(
                        "unknown field in the body; the only field is 'value', e.g."
                                + " {\"value\": \"...\"}");
            }
        }
        JsonNode value = node.get("value");
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(
                    "field 'value' is required (to remove the " + what + ", send DELETE)");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(
                    "field 'value' must be a JSON string (write numbers, lists or objects as text),"
                            + " was a JSON "
                            + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.textValue();
    }
}
