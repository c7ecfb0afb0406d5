package io.fxflink.manager.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Http;
import io.fxflink.manager.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks what callers send to the jobs routes, with messages that say what to fix. */
final class JobRequests {
    /** Flink job ids and trigger ids: 32 hex digits (also keeps paths out of Flink URLs). */
    private static final Pattern FLINK_ID = Pattern.compile("[0-9a-fA-F]{32}");

    private static final Pattern JAVA_CLASS =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    private static final Set<String> DEPLOY_FIELDS =
            Set.of(
                    "job",
                    "entryClass",
                    "programArgs",
                    "parallelism",
                    "savepointPath",
                    "allowNonRestoredState");
    private static final int MAX_ARGS = 256;
    private static final int MAX_ARG_CHARS = 4096;

    private JobRequests() {}

    static String jobId(String id) {
        if (id == null || !FLINK_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "job id must be 32 hex digits as Flink shows it, was '" + clip(id) + "'");
        }
        return id.toLowerCase(java.util.Locale.ROOT);
    }

    static String triggerId(String id) {
        if (id == null || !FLINK_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "trigger id must be 32 hex digits as the stop answer gave it, was '"
                            + clip(id)
                            + "'");
        }
        return id.toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code {"job": "router", ...run options}} for the platform's own jobs. */
    record Deploy(String job, RunOptions options) {}

    static Deploy deploy(byte[] body) {
        JsonNode n = Http.json(body);
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest(
                    "expected {\"job\": \"router\"|\"ops-sink\"} as JSON, or a multipart upload"
                            + " with the jar in part 'jar'");
        }
        n.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!DEPLOY_FIELDS.contains(f)) {
                                throw ApiException.badRequest(
                                        "unknown field '" + clip(f) + "'; known: " + DEPLOY_FIELDS);
                            }
                        });
        JsonNode job = n.get("job");
        if (job == null || !job.isTextual()) {
            throw ApiException.badRequest(
                    "field 'job' is required: one of " + PlatformJobs.names());
        }
        PlatformJobs.jobName(job.asText());
        return new Deploy(
                job.asText(),
                options(
                        text(n, "entryClass"),
                        args(n.get("programArgs")),
                        n.has("parallelism") ? n.get("parallelism").asText() : null,
                        text(n, "savepointPath"),
                        n.has("allowNonRestoredState")
                                ? n.get("allowNonRestoredState").asText()
                                : null));
    }

    /** Run options from the form fields of a multipart upload ({@code programArgs}: JSON array). */
    static RunOptions fromForm(
            String entryClass,
            String programArgs,
            String parallelism,
            String savepointPath,
            String allowNonRestoredState) {
        List<String> args = List.of();
        if (programArgs != null && !programArgs.isBlank()) {
            try {
                args = args(Json.mapper().readTree(programArgs));
            } catch (IOException e) {
                throw ApiException.badRequest(
                        "form field 'programArgs' must be a JSON array of strings, e.g."
                                + " [\"--topic\",\"fx.events\"]");
            }
        }
        return options(entryClass, args, parallelism, savepointPath, allowNonRestoredState);
    }

    private static RunOptions options(
            String entryClass,
            List<String> args,
            String parallelism,
            String savepointPath,
            String allowNonRestoredState) {
        String cls = blankToNull(entryClass);
        if (cls != null && (cls.length() > 512 || !JAVA_CLASS.matcher(cls).matches())) {
            throw ApiException.badRequest(
                    "entryClass must be a fully qualified Java class name, was '"
                            + clip(cls)
                            + "'");
        }
        Integer p = null;
        if (blankToNull(parallelism) != null) {
            try {
                p = Integer.parseInt(parallelism.trim());
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 32_768) {
                throw ApiException.badRequest(
                        "parallelism must be an integer between 1 and 32768, was '"
                                + clip(parallelism)
                                + "'");
            }
        }
        String sp = blankToNull(savepointPath);
        if (sp != null && (sp.length() > 4096 || sp.chars().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest(
                    "savepointPath must be a path or URI without control characters");
        }
        String anrs = blankToNull(allowNonRestoredState);
        if (anrs != null && !anrs.equals("true") && !anrs.equals("false")) {
            throw ApiException.badRequest("allowNonRestoredState must be true or false");
        }
        return new RunOptions(cls, args, p, sp, "true".equals(anrs));
    }

    private static List<String> args(JsonNode array) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw ApiException.badRequest("programArgs must be a JSON array of strings");
        }
        if (array.size() > MAX_ARGS) {
            throw ApiException.badRequest("programArgs has more than " + MAX_ARGS + " entries");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode a : array) {
            if (!a.isTextual()) {
                throw ApiException.badRequest(
                        "programArgs must be a JSON array of strings; found a JSON "
                                + a.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (a.asText().length() > MAX_ARG_CHARS) {
                throw ApiException.badRequest(
                        "a program argument is longer than " + MAX_ARG_CHARS + " characters");
            }
            out.add(a.asText());
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
