package io.fxflink.contracts.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.schedule.CronSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A service package's {@code manifest.json}, compatible with FX's: {@code name}, {@code version},
 * {@code description}, {@code entrypoint} or {@code execution_order} (steps run in sequence),
 * {@code tags}, {@code trigger_events}, {@code schedule} (cron), {@code priority} (1 highest … 10
 * lowest, default 5), {@code allow_manual_triggering}, {@code active}; plus the platform's
 * additions {@code runtime} ({@code python} default, {@code jvm}), {@code timeout} (seconds),
 * {@code retries}, {@code retry_backoff} (seconds), {@code concurrency} and {@code config} defaults
 * (merged under the package's {@code config.json}). Fields FX services carry that the platform does
 * not use are tolerated. One parser for the manager (at upload) and the executor (at run), so both
 * agree.
 */
public record ServiceManifest(
        String name,
        String version,
        String description,
        String project,
        ServiceRuntime runtime,
        List<String> steps,
        List<String> tags,
        List<String> triggerEvents,
        String schedule,
        int priority,
        boolean allowManualTriggering,
        boolean active,
        int timeoutSeconds,
        int retries,
        int retryBackoffSeconds,
        int concurrency,
        Map<String, String> config) {

    public static final int DEFAULT_PRIORITY = 5;
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;
    public static final int MAX_TIMEOUT_SECONDS = 24 * 3600;
    public static final int MAX_RETRIES = 100;
    public static final int MAX_CONCURRENCY = 1024;
    public static final int MAX_BYTES = 64 * 1024;

    /** FX's manifest fields, then the platform's (and older spellings of them). */
    public static final Set<String> KNOWN_FIELDS =
            Set.of(
                    "name",
                    "version",
                    "description",
                    "entrypoint",
                    "execution_order",
                    "tags",
                    "trigger_events",
                    "schedule",
                    "priority",
                    "allow_manual_triggering",
                    "active",
                    "runtime",
                    "timeout",
                    "retries",
                    "retry_backoff",
                    "concurrency",
                    "config",
                    "project",
                    "scripts",
                    "timeout_seconds",
                    "retry_backoff_seconds");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9._:/-]{1,255}\\*?");
    private static final Pattern SCRIPT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/-]{0,255}");
    private static final Pattern JAVA_CLASS =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*){0,63}");

    public ServiceManifest {
        steps = List.copyOf(steps);
        tags = List.copyOf(tags);
        triggerEvents = List.copyOf(triggerEvents);
        config = Map.copyOf(config);
    }

    /**
     * Reads and validates a manifest; {@code files} are the package's file names (to check that the
     * steps exist). {@code configJson} is the package's {@code config.json}, or null.
     */
    public static ServiceManifest parse(byte[] manifestJson, byte[] configJson, Set<String> files) {
        ObjectNode root = object(manifestJson, "manifest.json");
        rejectUnknownFields(root);
        ServiceRuntime runtime = runtime(root);
        List<String> steps = steps(root, runtime, files);
        Map<String, String> config = new LinkedHashMap<>(stringMap(root, "config"));
        if (configJson != null) {
            config.putAll(stringMap(object(configJson, "config.json"), null));
        }
        String schedule = optionalText(root, "schedule", 200);
        if (schedule != null) {
            try {
                CronSchedule.parse(schedule);
            } catch (IllegalArgumentException e) {
                throw bad("field 'schedule': " + e.getMessage());
            }
        }
        return new ServiceManifest(
                name(root),
                version(root),
                optionalText(root, "description", 4096),
                projectName(root),
                runtime,
                steps,
                strings(root, "tags", 64, Pattern.compile("[^\\p{Cntrl}]{1,100}")),
                strings(root, "trigger_events", 32, EVENT_TYPE),
                schedule,
                integer(root, DEFAULT_PRIORITY, 1, 10, "priority"),
                bool(root, "allow_manual_triggering", true),
                bool(root, "active", true),
                integer(
                        root,
                        DEFAULT_TIMEOUT_SECONDS,
                        1,
                        MAX_TIMEOUT_SECONDS,
                        "timeout",
                        "timeout_seconds"),
                integer(root, 0, 0, MAX_RETRIES, "retries"),
                integer(root, 5, 0, MAX_TIMEOUT_SECONDS, "retry_backoff", "retry_backoff_seconds"),
                integer(root, 1, 1, MAX_CONCURRENCY, "concurrency"),
                config);
    }

    public static ServiceManifest parse(String manifestJson, Set<String> files) {
        return parse(manifestJson.getBytes(StandardCharsets.UTF_8), null, files);
    }

    private static ObjectNode object(byte[] json, String file) {
        if (json == null || json.length == 0) {
            throw bad(file + " is empty");
        }
        if (json.length > MAX_BYTES) {
            throw bad(file + " is " + json.length + " bytes; the limit is " + MAX_BYTES);
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw bad(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad(file + " is unreadable: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw bad(file + " must be a JSON object");
        }
        return obj;
    }

    /**
     * A typo ({@code triger_events}) would otherwise silently do nothing; extension fields of one's
     * own start with {@code x_} or {@code x-}.
     */
    private static void rejectUnknownFields(ObjectNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KNOWN_FIELDS.contains(f) && !f.startsWith("x_") && !f.startsWith("x-")) {
                throw bad(
                        "unknown field '"
                                + shorten(f)
                                + "'; known fields: "
                                + new java.util.TreeSet<>(KNOWN_FIELDS)
                                + " (own extensions start with x_)");
            }
        }
    }

    private static String projectName(ObjectNode root) {
        String p = optionalText(root, "project", 100);
        if (p != null && !NAME.matcher(p).matches()) {
            throw bad(
                    "field 'project' must be letters, digits, '.', '_' or '-', was '"
                            + shorten(p)
                            + "'");
        }
        return p;
    }

    private static String name(ObjectNode root) {
        String name = requiredText(root, "name");
        if (!NAME.matcher(name).matches()) {
            throw bad(
                    "field 'name' must be 1-100 letters, digits, '.', '_' or '-'"
                            + " starting with a letter or digit, was '"
                            + shorten(name)
                            + "'");
        }
        return name;
    }

    private static String version(ObjectNode root) {
        JsonNode v = root.get("version");
        String version = v != null && v.isNumber() ? v.asText() : requiredText(root, "version");
        if (!VERSION.matcher(version).matches()) {
            throw bad(
                    "field 'version' must look like 1.2.0 (letters, digits, '.', '_', '+', '-'), was '"
                            + shorten(version)
                            + "'");
        }
        return version;
    }

    private static ServiceRuntime runtime(ObjectNode root) {
        String r = optionalText(root, "runtime", 20);
        if (r == null) {
            return ServiceRuntime.PYTHON;
        }
        return switch (r.toLowerCase(Locale.ROOT)) {
            case "python" -> ServiceRuntime.PYTHON;
            case "jvm", "java" -> ServiceRuntime.JVM;
            default ->
                    throw bad(
                            "field 'runtime' must be \"python\" or \"jvm\", was \""
                                    + shorten(r)
                                    + "\"");
        };
    }

    /** {@code execution_order}, else {@code entrypoint}, else {@code main.py} for Python. */
    private static List<String> steps(ObjectNode root, ServiceRuntime runtime, Set<String> files) {
        List<String> steps = new ArrayList<>();
        String field;
        if (root.hasNonNull("execution_order") || root.hasNonNull("scripts")) {
            field = root.hasNonNull("execution_order") ? "execution_order" : "scripts";
            steps.addAll(strings(root, field, 64, null));
            if (steps.isEmpty()) {
                throw bad("field '" + field + "' must list at least one step");
            }
        } else if (root.hasNonNull("entrypoint")) {
            field = "entrypoint";
            steps.add(requiredText(root, field));
        } else if (runtime == ServiceRuntime.PYTHON) {
            field = "entrypoint";
            steps.add("main.py");
        } else {
            throw bad(
                    "a jvm service needs 'entrypoint' naming its FxService class, e.g. \"com.example.MyService\"");
        }
        boolean hasJar = files.stream().anyMatch(f -> f.endsWith(".jar"));
        for (String step : steps) {
            if (runtime == ServiceRuntime.PYTHON) {
                if (!SCRIPT.matcher(step).matches() || step.contains("..")) {
                    throw bad(
                            "field '"
                                    + field
                                    + "': '"
                                    + shorten(step)
                                    + "' is not a script path inside the package");
                }
                if (!files.contains(step)) {
                    throw bad("field '" + field + "': script '" + step + "' is not in the package");
                }
            } else {
                if (step.length() > 512 || !JAVA_CLASS.matcher(step).matches()) {
                    throw bad(
                            "field '"
                                    + field
                                    + "': '"
                                    + shorten(step)
                                    + "' is not a Java class name");
                }
                if (!hasJar && !files.contains(step.replace('.', '/') + ".class")) {
                    throw bad(
                            "field '"
                                    + field
                                    + "': class '"
                                    + step
                                    + "' is not in the package (no .class and no .jar)");
                }
            }
        }
        return steps;
    }

    private static List<String> strings(ObjectNode root, String field, int max, Pattern each) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw bad("field '" + field + "' must be a list of strings");
        }
        if (n.size() > max) {
            throw bad("field '" + field + "' lists " + n.size() + " entries; at most " + max);
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw bad("field '" + field + "' must contain only non-empty strings");
            }
            String v = e.asText();
            if (each != null && !each.matcher(v).matches()) {
                throw bad("field '" + field + "': '" + shorten(v) + "' is not valid");
            }
            if (!out.add(v)) {
                throw bad("field '" + field + "' lists '" + shorten(v) + "' twice");
            }
        }
        return new ArrayList<>(out);
    }

    private static Map<String, String> stringMap(ObjectNode root, String field) {
        JsonNode n = field == null ? root : root.get(field);
        if (n == null || n.isNull()) {
            return Map.of();
        }
        String where = field == null ? "config.json" : "field '" + field + "'";
        if (!n.isObject()) {
            throw bad(where + " must be an object of settings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                out.put(e.getKey(), v.toString());
            } else if (!v.isNull()) {
                out.put(e.getKey(), v.asText());
            }
        }
        if (out.size() > 1000) {
            throw bad(where + " has more than 1000 settings");
        }
        return out;
    }

    private static String requiredText(ObjectNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw bad("missing required field '" + field + "'");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw bad("field '" + field + "' must be a non-empty string");
        }
        return n.asText().trim();
    }

    private static String optionalText(ObjectNode root, String field, int max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad("field '" + field + "' must be a string");
        }
        String v = n.asText().trim();
        if (v.length() > max) {
            throw bad("field '" + field + "' is longer than " + max + " characters");
        }
        return v.isEmpty() ? null : v;
    }

    private static boolean bool(ObjectNode root, String field, boolean dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw bad("field '" + field + "' must be true or false");
        }
        return n.asBoolean();
    }

    /** The first of {@code names} present (FX spelling first, then our older alias). */
    private static int integer(ObjectNode root, int dflt, int min, int max, String... names) {
        for (String field : names) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                continue;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw bad("field '" + field + "' must be a whole number");
            }
            int v = n.intValue();
            if (v < min || v > max) {
                throw bad(
                        "field '"
                                + field
                                + "' must be between "
                                + min
                                + " and "
                                + max
                                + ", was "
                                + v);
            }
            return v;
        }
        return dflt;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static ManifestException bad(String message) {
        return new ManifestException("manifest: " + message);
    }
}
