package io.fxflink.platform;

import io.fxflink.stack.ProjectRoot;
import io.fxflink.stack.StackSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The local platform's settings in one place (environment variables, with local defaults). */
record PlatformSettings(
        Path root,
        StackSettings stack,
        int flinkRestPort,
        int managerPort,
        int executorHealthPort,
        String executorMainClass,
        String managerMainClass,
        String topicPrefix,
        List<JobSpec> jobs) {

    /** A Flink job the platform submits: its module (for the jar) and program arguments. */
    record JobSpec(String name, String module, List<String> args) {}

    static PlatformSettings fromEnvironment() {
        StackSettings stack = StackSettings.fromEnvironment();
        int flinkPort = intEnv("FX_FLINK_REST_PORT", 8081);
        return new PlatformSettings(
                ProjectRoot.find(),
                stack,
                flinkPort,
                intEnv("FX_MANAGER_PORT", 18080),
                intEnv("FX_EXECUTOR_HEALTH_PORT", 18090),
                env("FX_EXECUTOR_MAIN").orElse("io.fxflink.executor.ExecutorMain"),
                env("FX_MANAGER_MAIN").orElse("io.fxflink.manager.ManagerMain"),
                env("FX_TOPIC_PREFIX").orElse(""),
                List.of(
                        new JobSpec("fx-router", "router-job", List.of()),
                        new JobSpec("fx-ops-sink", "ops-sink-job", List.of())));
    }

    String flinkRestUrl() {
        return "http://127.0.0.1:" + flinkRestPort;
    }

    String managerUrl() {
        return "http://127.0.0.1:" + managerPort;
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    private static int intEnv(String name, int dflt) {
        String v = env(name).orElse(Integer.toString(dflt));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + v + "'");
        }
    }
}
