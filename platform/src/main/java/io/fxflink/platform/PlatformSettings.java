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
        FlinkMode flinkMode,
        Optional<String> flinkRemoteUrl,
        int flinkRestPort,
        int flinkRpcPort,
        int flinkTaskManagers,
        int managerPort,
        int executorHealthPort,
        String executorMainClass,
        String managerMainClass,
        String topicPrefix,
        List<JobSpec> jobs) {

    /** A Flink job the platform submits: its module (for the jar) and program arguments. */
    record JobSpec(String name, String module, List<String> args) {}

    PlatformSettings {
        if (flinkMode == FlinkMode.REMOTE && flinkRemoteUrl.isEmpty()) {
            throw new IllegalArgumentException(
                    "Flink mode remote needs FX_FLINK_REST_URL (the cluster's REST address, e.g."
                            + " http://flink-jobmanager:8081)");
        }
        if (flinkTaskManagers < 1 || flinkTaskManagers > 16) {
            throw new IllegalArgumentException(
                    "FX_FLINK_TASKMANAGERS must be 1..16, got " + flinkTaskManagers);
        }
    }

    /**
     * @param flinkModeArg {@code --flink <mode>} from the command line; wins over FX_FLINK_MODE
     */
    static PlatformSettings fromEnvironment(Optional<String> flinkModeArg) {
        StackSettings stack = StackSettings.fromEnvironment();
        FlinkMode mode =
                FlinkMode.parse(flinkModeArg.or(() -> env("FX_FLINK_MODE")).orElse("mini"));
        return new PlatformSettings(
                ProjectRoot.find(),
                stack,
                mode,
                env("FX_FLINK_REST_URL").map(u -> u.replaceAll("/+$", "")),
                intEnv("FX_FLINK_REST_PORT", 8081),
                intEnv("FX_FLINK_RPC_PORT", 6123),
                intEnv("FX_FLINK_TASKMANAGERS", 1),
                intEnv("FX_MANAGER_PORT", 18080),
                intEnv("FX_EXECUTOR_HEALTH_PORT", 18090),
                env("FX_EXECUTOR_MAIN").orElse("io.fxflink.executor.ExecutorMain"),
                env("FX_MANAGER_MAIN").orElse("io.fxflink.manager.ManagerMain"),
                env("FX_TOPIC_PREFIX").orElse(""),
                List.of(
                        new JobSpec("fx-router", "router-job", List.of()),
                        new JobSpec("fx-ops-sink", "ops-sink-job", List.of())));
    }

    /** The REST address of the cluster the jobs run on (a remote one, or the local one). */
    String flinkRestUrl() {
        return flinkMode == FlinkMode.REMOTE
                ? flinkRemoteUrl.orElseThrow()
                : "http://127.0.0.1:" + flinkRestPort;
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
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }
}
