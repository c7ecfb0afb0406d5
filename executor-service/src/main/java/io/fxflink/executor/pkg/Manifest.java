package io.fxflink.executor.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parts of an FX {@code manifest.json} the executor needs: name, version, the steps ({@code
 * execution_order}, else {@code entrypoint}, else {@code main.py}), runtime, concurrency, and
 * config defaults ({@code config.json} next to it, or a {@code config} object), and {@code network}
 * (true: a Python step's sandbox gets the host's network; default false: none).
 */
public record Manifest(
        String name,
        String version,
        String runtime,
        List<String> steps,
        int concurrency,
        Map<String, String> configDefaults,
        boolean network) {

    /** A package that asks for no network. */
    public Manifest(
            String name,
            String version,
            String runtime,
            List<String> steps,
            int concurrency,
            Map<String, String> configDefaults) {
        this(name, version, runtime, steps, concurrency, configDefaults, false);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/-]{0,255}");
    private static final Pattern JAVA_CLASS =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*){0,63}");

    public static Manifest read(Path dir) throws PackageException {
        Path file = dir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new PackageException("package has no manifest.json", false);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new PackageException("manifest.json is not valid JSON: " + e.getMessage(), false);
        }
        if (root == null || !root.isObject()) {
            throw new PackageException("manifest.json must be a JSON object", false);
        }
        String runtime = text(root, "runtime", "python");
        if (!runtime.equals("python") && !runtime.equals("jvm")) {
            throw new PackageException(
                    "manifest.json: runtime must be 'python' or 'jvm', was '" + runtime + "'",
                    false);
        }
        List<String> steps = new ArrayList<>();
        JsonNode order = root.get("execution_order");
        if (order != null && !order.isNull()) {
            if (!order.isArray() || order.isEmpty()) {
                throw new PackageException(
                        "manifest.json: execution_order must be a non-empty list of scripts",
                        false);
            }
            order.forEach(n -> steps.add(n.asText()));
        } else if (root.hasNonNull("entrypoint")) {
            steps.add(root.get("entrypoint").asText());
        } else if (runtime.equals("jvm")) {
            throw new PackageException(
                    "manifest.json: a jvm package needs \"entrypoint\" naming its FxService"
                            + " class (e.g. \"com.example.MyService\")",
                    false);
        } else {
            steps.add("main.py");
        }
        for (String step : steps) {
            if (runtime.equals("jvm")) {
                if (step.length() > 512 || !JAVA_CLASS.matcher(step).matches()) {
                    throw new PackageException(
                            "manifest.json: '"
                                    + step
                                    + "' is not a Java class name (jvm packages name their"
                                    + " FxService classes)",
                            false);
                }
            } else {
                if (!STEP.matcher(step).matches() || step.contains("..")) {
                    throw new PackageException("manifest.json: invalid step '" + step + "'", false);
                }
                if (!Files.isRegularFile(dir.resolve(step))) {
                    throw new PackageException(
                            "manifest.json names step '"
                                    + step
                                    + "' but the package has no such file",
                            false);
                }
            }
        }
        int concurrency = root.path("concurrency").asInt(0);
        JsonNode network = root.get("network");
        if (network != null && !network.isNull() && !network.isBoolean()) {
            throw new PackageException("manifest.json: network must be true or false", false);
        }
        Map<String, String> defaults = new TreeMap<>();
        readConfig(root.get("config"), defaults);
        Path configFile = dir.resolve("config.json");
        if (Files.isRegularFile(configFile)) {
            try {
                readConfig(JSON.readTree(configFile.toFile()), defaults);
            } catch (IOException e) {
                throw new PackageException(
                        "config.json is not valid JSON: " + e.getMessage(), false);
            }
        }
        return new Manifest(
                text(root, "name", null),
                text(root, "version", null),
                runtime,
                List.copyOf(steps),
                concurrency,
                Map.copyOf(defaults),
                network != null && network.asBoolean(false));
    }

    private static void readConfig(JsonNode node, Map<String, String> out) {
        if (node != null && node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e ->
                                    out.put(
                                            e.getKey(),
                                            e.getValue().isTextual()
                                                    ? e.getValue().asText()
                                                    : e.getValue().toString()));
        }
    }

    private static String text(JsonNode root, String field, String dflt) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? dflt : n.asText();
    }
}
