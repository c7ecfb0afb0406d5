package io.fxflink.executor;

import io.fxflink.contracts.topic.TopicNames;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every setting of the executor, read once from the environment and validated; defaults are the
 * local stack's. A bad value fails start-up with a message naming the variable.
 */
public record ExecutorOptions(
        String executorId,
        String kafkaBootstrap,
        String consumerGroup,
        TopicNames topics,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String packageBucket,
        String pgUrl,
        String pgUser,
        String pgPassword,
        String python,
        int pythonWorkers,
        int maxRunsPerWorker,
        int pythonWarmPerWorker,
        long maxOutputBytes,
        int memoryMb,
        int maxInFlight,
        int maxCachedPackages,
        Path workDir,
        int healthPort,
        String project,
        int jvmThreads,
        int jvmAbandonGraceMs,
        int jvmMaxAbandoned,
        int storageMaxObjectBytes,
        int schedulerPollMs,
        int metricsIntervalMs,
        int kafkaSessionTimeoutMs) {
    /**
     * Objects cross the worker protocol's 8 MiB frames as base64 (4/3 larger, plus the envelope):
     * larger objects cannot cross it. Keep in step with fx_ef's MAX_STORAGE_OBJECT_BYTES.
     */
    public static final int MAX_STORAGE_OBJECT_BYTES = (6 << 20) - (64 << 10);

    public static ExecutorOptions fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Reader r = new Reader(env, problems);
        ExecutorOptions o =
                new ExecutorOptions(
                        r.text("FX_EXECUTOR_ID", defaultId()),
                        r.text("FX_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
                        r.text("FX_EXECUTOR_GROUP", "fx-executor"),
                        TopicNames.withPrefix(r.text("FX_TOPIC_PREFIX", "")),
                        r.text("FX_S3_ENDPOINT", "http://127.0.0.1:19000"),
                        r.text("FX_S3_ACCESS_KEY", "fxlocal"),
                        r.text("FX_S3_SECRET_KEY", "fxlocal-secret"),
                        r.text("FX_PACKAGE_BUCKET", "fx-packages"),
                        r.text("FX_PG_URL", "jdbc:postgresql://127.0.0.1:15432/postgres"),
                        r.text("FX_PG_USER", "postgres"),
                        r.text("FX_PG_PASSWORD", "postgres"),
                        r.text("FX_PYTHON", "/usr/bin/python3"),
                        r.integer("FX_PYTHON_WORKERS", 4, 1, 512),
                        r.integer("FX_WORKER_MAX_RUNS", 1000, 1, 1_000_000),
                        r.integer("FX_PYTHON_WARM_PER_WORKER", 8, 0, 64),
                        r.integer("FX_MAX_OUTPUT_BYTES", 1 << 20, 1024, 64 << 20),
                        r.integer("FX_MEMORY_LIMIT_MB", 1024, 0, 1 << 20),
                        r.integer("FX_MAX_IN_FLIGHT", 64, 1, 100_000),
                        r.integer("FX_PACKAGE_CACHE_SIZE", 64, 1, 100_000),
                        Path.of(r.text("FX_EXECUTOR_WORK_DIR", defaultWorkDir())),
                        r.integer("FX_EXECUTOR_HEALTH_PORT", 18090, 0, 65535),
                        r.text("FX_PROJECT", "default"),
                        r.integer("FX_JVM_THREADS", 32, 1, 1024),
                        r.integer("FX_JVM_ABANDON_GRACE_MS", 5_000, 10, 600_000),
                        r.integer("FX_JVM_MAX_ABANDONED", 16, 0, 10_000),
                        r.integer(
                                "FX_STORAGE_MAX_OBJECT_BYTES",
                                4 << 20,
                                1,
                                MAX_STORAGE_OBJECT_BYTES),
                        r.integer("FX_SCHEDULER_POLL_MS", 1_000, 50, 600_000),
                        r.integer("FX_METRICS_INTERVAL_MS", 10_000, 100, 3_600_000),
                        r.integer("FX_KAFKA_SESSION_TIMEOUT_MS", 45_000, 6_000, 1_800_000));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid executor configuration: " + String.join("; ", problems));
        }
        return o;
    }

    private static String defaultId() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "executor-" + UUID.randomUUID();
        }
    }

    private static String defaultWorkDir() {
        return System.getProperty("java.io.tmpdir")
                + "/fx-executor-"
                + ProcessHandle.current().pid();
    }

    private record Reader(Map<String, String> env, List<String> problems) {
        String text(String name, String dflt) {
            String v = env.get(name);
            return v == null || v.isBlank() ? dflt : v.trim();
        }

        int integer(String name, int dflt, int min, int max) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return dflt;
            }
            try {
                int i = Integer.parseInt(v.trim());
                if (i < min || i > max) {
                    problems.add(name + " must be between " + min + " and " + max + ", was " + i);
                }
                return i;
            } catch (NumberFormatException e) {
                problems.add(name + " must be an integer, was '" + v + "'");
                return dflt;
            }
        }
    }
}
