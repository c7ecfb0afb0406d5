package io.fxflink.contracts.serde.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.ArrayList;
import java.util.List;

/** Turns Jackson exceptions into one-line problem descriptions that name the field. */
public final class JacksonProblems {
    private static final int MAX_DETAIL = 300;

    private JacksonProblems() {}

    public static String describe(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            // our own record validation (IllegalArgumentException with a field message)
            String where = path(vie.getPath(), 1);
            String msg = vie.getCause().getMessage();
            return where.isEmpty() ? msg : msg + " (in '" + where + "')";
        }
        String field = e instanceof JsonMappingException jme ? path(jme.getPath(), 0) : "";
        String original = clip(e.getOriginalMessage());
        if (e instanceof MismatchedInputException && original.startsWith("Missing required")) {
            return "missing required field '" + field + "'";
        }
        if (e instanceof InvalidFormatException ife) {
            return "field '"
                    + field
                    + "' has an invalid value "
                    + clip(String.valueOf(ife.getValue()))
                    + " (expected "
                    + expected(ife.getTargetType())
                    + ")";
        }
        if (e instanceof MismatchedInputException mie && !field.isEmpty()) {
            String expected =
                    mie.getTargetType() == null ? "" : mie.getTargetType().getSimpleName();
            return "field '" + field + "' has the wrong type (expected " + expected + ")";
        }
        if (field.isEmpty()) {
            return "malformed JSON: " + original;
        }
        return "field '" + field + "': " + original;
    }

    private static String expected(Class<?> type) {
        if (type != null && type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(JsonMappers.strict().convertValue(constant, String.class));
            }
            return "one of " + String.join(", ", names);
        }
        return type == null ? "another type" : type.getSimpleName();
    }

    /** "a.b[2].c", dropping the last {@code dropLast} references (the record being built). */
    private static String path(List<JsonMappingException.Reference> refs, int dropLast) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < refs.size() - dropLast; i++) {
            JsonMappingException.Reference ref = refs.get(i);
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }
}
