package io.fxflink.manager.service;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fxflink.manager.api.Json;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses {@code manifest.json} and says exactly which field is wrong and how to fix it. */
final class ManifestParser {
    static final int MAX_MANIFEST_BYTES = 256 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern EVENT_TYPE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}\\*?");
    private static final Pattern JAVA_CLASS =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    private static final CronParser CRON =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    Manifest parse(byte[] json, Set<String> files) {
        Manifest m;
        try {
            m = Json.mapper().readValue(json, Manifest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidPackageException(
                    "manifest.json: unknown field '"
                            + e.getPropertyName()
                            + "'; known fields: "
                            + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException(
                    "manifest.json is not valid JSON for a manifest: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPackageException("manifest.json is unreadable: " + e.getMessage());
        }
        if (m == null) {
            throw new InvalidPackageException("manifest.json is empty");
        }
        validate(m, files);
        return m;
    }

    void validate(Manifest m, Set<String> files) {
        name(m.name(), "name");
        name(m.version(), "version");
        String runtime = m.runtime() == null ? null : m.runtime().toLowerCase(Locale.ROOT);
        if (!"python".equals(runtime) && !"jvm".equals(runtime)) {
            throw bad("field 'runtime' must be \"python\" or \"jvm\", was " + quote(m.runtime()));
        }
        List<String> scripts = m.scripts();
        if (scripts == null || scripts.isEmpty()) {
            throw bad("field 'scripts' must list at least one script, run in order");
        }
        if (scripts.size() > 64) {
            throw bad("field 'scripts' lists more than 64 entries");
        }
        boolean hasJar = files.stream().anyMatch(f -> f.endsWith(".jar"));
        for (String s : scripts) {
            if (s == null || s.isBlank()) {
                throw bad("field 'scripts' contains an empty entry");
            }
            if ("python".equals(runtime)) {
                if (!files.contains(s)) {
                    throw bad("script '" + s + "' listed in 'scripts' is not in the package");
                }
            } else if (!files.contains(s)) {
                if (!JAVA_CLASS.matcher(s).matches()) {
                    throw bad(
                            "jvm entry '"
                                    + s
                                    + "' is neither a file in the package nor a class name");
                }
                if (!hasJar && !files.contains(s.replace('.', '/') + ".class")) {
                    throw bad("class '" + s + "' is not in the package (no .class and no .jar)");
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (String t : m.triggerEventsOrEmpty()) {
            if (t == null || !EVENT_TYPE.matcher(t).matches()) {
                throw bad(
                        "trigger_events entry "
                                + quote(t)
                                + " is not an event type (letters, digits, '.', '_', ':', '/', '-';"
                                + " a trailing '*' matches a prefix)");
            }
            if (!seen.add(t)) {
                throw bad("trigger_events lists " + quote(t) + " twice");
            }
        }
        if (m.triggerEventsOrEmpty().size() > 32) {
            throw bad("trigger_events lists more than 32 event types");
        }
        cronProblem(m.schedule())
                .ifPresent(
                        p -> {
                            throw bad(p);
                        });
        range(m.timeoutSeconds(), 1, 86_400, "timeout_seconds");
        range(m.retries(), 0, 100, "retries");
        range(m.retryBackoffSeconds(), 0, 86_400, "retry_backoff_seconds");
        range(m.concurrency(), 1, 1024, "concurrency");
        range(m.priority(), 1, 10, "priority");
        if (m.description() != null && m.description().length() > 4096) {
            throw bad("field 'description' is longer than 4096 characters");
        }
        if (m.config() != null) {
            if (m.config().size() > 256) {
                throw bad("field 'config' has more than 256 entries");
            }
            for (Map.Entry<String, String> e : m.config().entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                    throw bad("field 'config' needs non-empty keys and string values");
                }
            }
        }
    }

    /** Empty when the cron expression is valid (Unix cron, 5 fields) or absent. */
    static Optional<String> cronProblem(String schedule) {
        if (schedule == null) {
            return Optional.empty();
        }
        try {
            CRON.parse(schedule).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(
                    "field 'schedule' is not a valid cron expression (Unix cron, 5 fields, e.g."
                            + " \"*/5 * * * *\"): "
                            + e.getMessage());
        }
    }

    private static void name(String value, String field) {
        if (value == null || value.isBlank()) {
            throw bad("missing required field '" + field + "'");
        }
        if (!NAME.matcher(value).matches()) {
            throw bad(
                    "field '"
                            + field
                            + "' may only contain letters, digits, '.', '_' and '-' (max 128,"
                            + " starting with a letter or digit), was "
                            + quote(value));
        }
    }

    private static void range(Integer value, int min, int max, String field) {
        if (value != null && (value < min || value > max)) {
            throw bad(
                    "field '"
                            + field
                            + "' must be between "
                            + min
                            + " and "
                            + max
                            + ", was "
                            + value);
        }
    }

    private static InvalidPackageException bad(String message) {
        return new InvalidPackageException(
                message.startsWith("manifest.json") ? message : "manifest.json: " + message);
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }
}
