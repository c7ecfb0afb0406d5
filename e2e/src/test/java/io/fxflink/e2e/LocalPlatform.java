package io.fxflink.e2e;

import static org.awaitility.Awaitility.await;

import io.fxflink.stack.Endpoints;
import io.fxflink.stack.ProjectRoot;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The platform as a user starts it ({@code ./fx up} runs the same class), as a child process on
 * ports of its own, using the build's shared servers and a database of its own.
 */
final class LocalPlatform implements AutoCloseable {
    static final int MANAGER_PORT = 18180;
    static final int FLINK_PORT = 18181;
    static final int EXECUTOR_HEALTH_PORT = 18190;

    /**
     * Ports and extras of one platform instance: two instances (e.g. PlatformE2E and the failover
     * drill in parallel test JVMs) must differ in every port.
     *
     * @param args PlatformMain's arguments ({@code --flink standalone})
     * @param env further environment variables for the platform and its processes
     */
    record Options(
            int managerPort,
            int flinkPort,
            int executorHealthPort,
            int controlPort,
            List<String> args,
            Map<String, String> env) {
        static final Options DEFAULT =
                new Options(
                        MANAGER_PORT, FLINK_PORT, EXECUTOR_HEALTH_PORT, 19991, List.of(), Map.of());
    }

    private final Process process;
    private final Path home;
    private final Path log;

    private final String topicPrefix;

    private LocalPlatform(Process process, Path home, Path log, String topicPrefix) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.topicPrefix = topicPrefix;
    }

    static LocalPlatform start(Endpoints servers, String postgresUrl) throws IOException {
        return start(servers, postgresUrl, Options.DEFAULT);
    }

    static LocalPlatform start(Endpoints servers, String postgresUrl, Options options)
            throws IOException {
        Path root = ProjectRoot.find();
        Path home = root.resolve(".stack/e2e/" + UUID.randomUUID());
        Files.createDirectories(home);
        Path platformTarget = root.resolve("platform/target");
        String cp =
                platformTarget.resolve("classes")
                        + ":"
                        + Files.readString(platformTarget.resolve("classpath.txt")).trim();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-Dfx.root=" + root,
                                "-cp",
                                cp,
                                "io.fxflink.platform.PlatformMain"));
        cmd.addAll(options.args());
        Map<String, String> env = new HashMap<>();
        env.put("FX_HOME", home.toString());
        // topics of its own: the links topic is compacted and long-lived on the shared Kafka
        String topicPrefix = "e2e-" + home.getFileName().toString().substring(0, 8) + ".";
        env.put("FX_TOPIC_PREFIX", topicPrefix);
        env.put("FX_STACK_CONTROL_PORT", Integer.toString(options.controlPort()));
        env.put("FX_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
        env.put("FX_ES_URL", servers.elasticsearchUrl());
        env.put("FX_S3_ENDPOINT", servers.s3Endpoint());
        env.put("FX_S3_ACCESS_KEY", servers.s3AccessKey());
        env.put("FX_S3_SECRET_KEY", servers.s3SecretKey());
        env.put("FX_PG_URL", postgresUrl);
        env.put("FX_PG_USER", servers.postgresUser());
        env.put("FX_PG_PASSWORD", servers.postgresPassword());
        env.put("FX_MANAGER_PORT", Integer.toString(options.managerPort()));
        env.put("FX_FLINK_REST_PORT", Integer.toString(options.flinkPort()));
        env.put("FX_EXECUTOR_HEALTH_PORT", Integer.toString(options.executorHealthPort()));
        env.putAll(options.env());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path log = home.resolve("platform.out");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        LocalPlatform platform = new LocalPlatform(pb.start(), home, log, topicPrefix);
        platform.awaitUp();
        return platform;
    }

    private void awaitUp() {
        await("platform up (see " + log + ")")
                .atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException(
                                        "the platform exited:\n" + Files.readString(log));
                            }
                            return Files.exists(home.resolve("platform.properties"));
                        });
    }

    /** The prefix of this platform's Kafka topics ({@code <prefix>fx.events}, ...). */
    String topicPrefix() {
        return topicPrefix;
    }

    Path home() {
        return home;
    }

    /** What the CLI finds after {@code fx up}: the manager URL and the admin token. */
    Map<String, String> cliEnv() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(home.resolve("cli.properties"))) {
            p.load(r);
        }
        return Map.of(
                "FX_URL",
                p.getProperty("url"),
                "FX_TOKEN",
                p.getProperty("token"),
                "FX_HOME",
                home.toString());
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The platform's live child processes whose command line names {@code mainClass}. */
    List<ProcessHandle> processesRunning(String mainClass) {
        return process.toHandle()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(h).contains(mainClass))
                .toList();
    }

    /** The full command line (ProcessHandle.Info truncates long ones, such as a classpath). */
    private static List<String> commandLine(ProcessHandle h) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
            return List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of(); // gone meanwhile
        }
    }

    /** Every process the platform started, for the no-process-left check. */
    List<ProcessHandle> processTree() {
        List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
        all.add(process.toHandle());
        return all;
    }

    /** What a user expects of Ctrl-C or {@code fx down}: everything it started is gone. */
    void stopLeavingNoProcess() throws Exception {
        List<ProcessHandle> tree = processTree();
        close();
        await("every process of the platform gone")
                .atMost(Duration.ofSeconds(60))
                .until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Override
    public void close() throws Exception {
        // what Ctrl-C and ./fx down do: SIGTERM, the platform's hook stops everything
        process.destroy();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the platform did not stop within 3 minutes");
        }
    }
}
