package io.fxflink.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The local platform's life cycle: up, down, status; and the CLI's own token and completion. */
final class PlatformCommands {
    private PlatformCommands() {}

    static Properties platformState(FxCli fx) {
        Path file = fx.localHome().resolve("platform.properties");
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new CliException(
                        ExitCodes.REJECTED, "cannot read " + file + ": " + e.getMessage());
            }
        }
        return p;
    }

    @Command(name = "up", description = "Start the whole platform locally and run until Ctrl-C.")
    static final class Up implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Option(
                names = "--reset",
                description = "Start from empty data (deletes the working folder).")
        boolean reset;

        @Option(
                names = "--flink",
                paramLabel = "MODE",
                description =
                        "Where the jobs run: mini (one JVM, default), standalone (JobManager and"
                                + " TaskManager processes) or remote (FX_FLINK_REST_URL)."
                                + " Default: FX_FLINK_MODE or mini.")
        String flinkMode;

        @Override
        public Integer call() throws Exception {
            if (flinkMode != null && !List.of("mini", "standalone", "remote").contains(flinkMode)) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "unknown Flink mode '" + flinkMode + "': use mini, standalone or remote");
            }
            Path target = fx.root.resolve("platform/target");
            Path cp = target.resolve("classpath.txt");
            if (!Files.exists(cp)) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "the platform is not built: run ./mvnw install -DskipTests");
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(
                    List.of(
                            "-Xmx512m",
                            "-Dfx.root=" + fx.root,
                            "-cp",
                            target.resolve("classes") + ":" + Files.readString(cp).trim()));
            cmd.add("io.fxflink.platform.PlatformMain");
            if (reset) {
                cmd.add("--reset");
            }
            if (flinkMode != null) {
                cmd.addAll(List.of("--flink", flinkMode));
            }
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            // Ctrl-C reaches the platform too (same process group); its own hook stops everything
            Runtime.getRuntime().addShutdownHook(new Thread(() -> waitFor(p)));
            return p.waitFor();
        }

        private static void waitFor(Process p) {
            try {
                p.waitFor(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(
            name = "down",
            description = "Stop the local platform started by 'fx up' and wait until it is gone.")
    static final class Down implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Override
        public Integer call() throws Exception {
            Properties state = platformState(fx);
            Optional<ProcessHandle> platform =
                    Optional.ofNullable(state.getProperty("pid"))
                            .map(Long::parseLong)
                            .flatMap(ProcessHandle::of);
            if (platform.isEmpty()) {
                fx.output().line("the local platform is not running");
                return ExitCodes.OK;
            }
            platform.get().destroy();
            try {
                platform.get().onExit().get(3, TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new CliException(
                        ExitCodes.REJECTED,
                        "the platform (pid "
                                + platform.get().pid()
                                + ") did not stop within 3 minutes");
            }
            fx.output().line("stopped");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = "Show each component's state and the manager URL.")
    static final class Status implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Override
        public Integer call() {
            Properties state = platformState(fx);
            ObjectNode status = ManagerClient.JSON.createObjectNode();
            boolean up =
                    Optional.ofNullable(state.getProperty("pid"))
                            .map(Long::parseLong)
                            .flatMap(ProcessHandle::of)
                            .map(ProcessHandle::isAlive)
                            .orElse(false);
            CliTarget target = fx.client().target();
            status.put("platform", up ? "running" : "stopped");
            status.put("manager_url", target.url());
            if (state.containsKey("flink.mode")) {
                status.put("flink_mode", state.getProperty("flink.mode"));
                status.put("flink_url", state.getProperty("flink.url"));
                if (up) {
                    taskManagers(state.getProperty("flink.url"))
                            .ifPresent(n -> status.put("flink_taskmanagers", n));
                }
            }
            // the processes fx up started: alive and answering their own probe
            ObjectNode components = status.putObject("components");
            for (String key : state.stringPropertyNames().stream().sorted().toList()) {
                if (key.startsWith("component.") && key.endsWith(".health")) {
                    String name =
                            key.substring("component.".length(), key.length() - ".health".length());
                    components.put(name, up && healthy(state.getProperty(key)) ? "up" : "down");
                }
            }
            if (!state.containsKey("component.manager.health")) {
                components.put("manager", healthy(target.url() + "/health") ? "up" : "down");
            }
            // whether the platform works: the manager's /health (Flink's TaskManagers, jobs and
            // checkpoints, the executor's lag, every dependency), one model for API and CLI
            Optional<com.fasterxml.jackson.databind.JsonNode> health = health(target.url());
            health.ifPresent(h -> status.set("health", h));
            Output out = fx.output();
            if (out.json()) {
                out.json(status);
            } else {
                out.line("platform  " + status.path("platform").asText());
                out.line("manager   " + target.url());
                if (status.has("flink_mode")) {
                    out.line(
                            "flink     "
                                    + status.path("flink_url").asText()
                                    + " ("
                                    + status.path("flink_mode").asText()
                                    + (status.has("flink_taskmanagers")
                                            ? ", "
                                                    + status.path("flink_taskmanagers").asInt()
                                                    + " TaskManager(s) registered"
                                            : "")
                                    + ")");
                }
                out.line("processes");
                components
                        .fields()
                        .forEachRemaining(
                                e ->
                                        out.line(
                                                String.format(
                                                        "  %-13s %s",
                                                        e.getKey(), e.getValue().asText())));
                if (health.isPresent()) {
                    out.line("health    " + health.get().path("status").asText());
                    health.get()
                            .path("components")
                            .fields()
                            .forEachRemaining(
                                    e ->
                                            out.line(
                                                    String.format(
                                                                    "  %-13s %-9s %s",
                                                                    e.getKey(),
                                                                    e.getValue()
                                                                            .path("status")
                                                                            .asText(),
                                                                    e.getValue()
                                                                            .path("reason")
                                                                            .asText(""))
                                                            .stripTrailing()));
                } else {
                    out.line("health    unknown (the manager does not answer /health)");
                }
            }
            return up || components.path("manager").asText().equals("up")
                    ? ExitCodes.OK
                    : ExitCodes.UNREACHABLE;
        }

        /** TaskManagers registered with the cluster, from Flink's REST overview. */
        private static Optional<Integer> taskManagers(String flinkUrl) {
            try {
                HttpResponse<String> r =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(URI.create(flinkUrl + "/overview"))
                                                .timeout(Duration.ofSeconds(3))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200
                        ? Optional.of(
                                ManagerClient.JSON.readTree(r.body()).path("taskmanagers").asInt())
                        : Optional.empty();
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        /** The manager's {@code /health} answer (200 or 503 both carry it), if it answers. */
        private static Optional<com.fasterxml.jackson.databind.JsonNode> health(String managerUrl) {
            try {
                HttpResponse<String> r =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(URI.create(managerUrl + "/health"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 && r.statusCode() != 503) {
                    return Optional.empty();
                }
                com.fasterxml.jackson.databind.JsonNode h = ManagerClient.JSON.readTree(r.body());
                return h.has("components") ? Optional.of(h) : Optional.empty();
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        private static boolean healthy(String url) {
            try {
                HttpResponse<Void> r =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(URI.create(url))
                                                .timeout(Duration.ofSeconds(3))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Command(name = "token", description = "Print the token the CLI uses.")
    static final class Token implements Callable<Integer> {
        @ParentCommand FxCli fx;

        @Override
        public Integer call() {
            CliTarget t = fx.client().target();
            if (t.token().isBlank()) {
                throw new CliException(
                        ExitCodes.UNAUTHORIZED, "no token: run './fx up' or set FX_TOKEN");
            }
            fx.output().line(t.token());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "completion",
            description = "Print a bash/zsh completion script: source <(./fx completion)")
    static final class Completion implements Callable<Integer> {
        @ParentCommand FxCli fx;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            fx.output().line(AutoComplete.bash("fx", spec.parent().commandLine()));
            return ExitCodes.OK;
        }
    }
}
