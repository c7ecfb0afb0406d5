package io.fxflink.platform;

import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.contracts.topic.TopicProvisioner;
import io.fxflink.contracts.topic.Topics;
import io.fxflink.stack.Endpoints;
import io.fxflink.stack.LocalStack;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.stack.ServerKind;
import io.fxflink.stack.StackSettings;
import io.fxflink.stack.StackSupervisor;
import io.fxflink.stack.internal.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code fx up}: the whole platform on this machine. The servers of the local stack, a Flink
 * session cluster running the router and ops sink jobs, the executor and the manager; Ctrl-C (or
 * {@code fx down}) stops all of it. Data lives in the stack's working folder and survives restarts.
 */
public final class PlatformMain implements AutoCloseable {
    static final String STATE_FILE = "platform.properties";
    static final String TOKEN_FILE = "admin-token";

    private final PlatformSettings settings;
    private final Consumer<String> progress;
    private final List<Component> running = new ArrayList<>();
    private LocalStack stack;
    private StackSupervisor supervisor;

    PlatformMain(PlatformSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        boolean reset = List.of(args).contains("--reset");
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        if (reset) {
            wipe(settings.stack().home());
        }
        PlatformMain platform =
                new PlatformMain(settings, line -> System.out.println("[fx] " + line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    platform.close();
                                    stopped.countDown();
                                },
                                "fx-down"));
        try {
            platform.up();
        } catch (Exception e) {
            System.err.println("[fx] start failed: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    void up() throws Exception {
        long t0 = System.nanoTime();
        StackSettings stackSettings = settings.stack();
        Files.createDirectories(stackSettings.home());
        stack = new LocalStack(stackSettings, progress);
        supervisor = new StackSupervisor(stack, Duration.ZERO);
        supervisor.serve();
        Endpoints endpoints = stack.ensure(EnumSet.allOf(ServerKind.class));
        provisionTopics(endpoints);
        String adminToken = adminToken(stackSettings.home());

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FX_KAFKA_BOOTSTRAP", endpoints.kafkaBootstrap());
        env.put("FX_ES_URL", endpoints.elasticsearchUrl());
        env.put("FX_S3_ENDPOINT", endpoints.s3Endpoint());
        env.put("FX_S3_ACCESS_KEY", endpoints.s3AccessKey());
        env.put("FX_S3_SECRET_KEY", endpoints.s3SecretKey());
        env.put("FX_PG_URL", endpoints.postgresUrl());
        env.put("FX_PG_USER", endpoints.postgresUser());
        env.put("FX_PG_PASSWORD", endpoints.postgresPassword());
        env.put("FX_HOME", stackSettings.home().toString());
        env.put("FX_FLINK_REST_URL", settings.flinkRestUrl());
        env.put("FX_MANAGER_PORT", Integer.toString(settings.managerPort()));
        env.put("FX_BOOTSTRAP_ADMIN_TOKEN", adminToken);
        env.putIfAbsent("FX_SECRETS_KEY", secretsKey(stackSettings.home()));

        ModuleClasspath modules = new ModuleClasspath(settings.root());
        // the manager deploys the platform's own jobs from here ({"job": "router"})
        env.put(
                "FX_JOB_JARS_DIR",
                collectJobJars(modules, stackSettings.home().resolve("jobs")).toString());
        Path logs = stackSettings.home().resolve("logs");
        Files.createDirectories(logs);

        Component flink =
                new Component(
                        "flink",
                        LocalFlinkCluster.class.getName(),
                        modules.of("platform"),
                        flinkJvmFlags(settings.root().resolve("flink-conf/config.yaml")),
                        withFlinkEnv(env),
                        settings.flinkRestUrl() + "/overview");
        startComponent(flink, logs);
        submitJobs(modules);
        startComponent(
                new Component(
                        "executor",
                        settings.executorMainClass(),
                        modules.of("executor-service"),
                        List.of("-Xmx512m"),
                        env,
                        "http://127.0.0.1:" + settings.executorHealthPort() + "/health"),
                logs);
        startComponent(
                new Component(
                        "manager",
                        settings.managerMainClass(),
                        modules.of("manager"),
                        List.of("-Xmx512m"),
                        env,
                        settings.managerUrl() + "/health"),
                logs);
        writeState(adminToken);
        progress.accept(String.format("platform up in %.1f s", (System.nanoTime() - t0) / 1e9));
        progress.accept("manager     " + settings.managerUrl());
        progress.accept("admin token " + adminToken);
        progress.accept("flink       " + settings.flinkRestUrl());
        progress.accept("data        " + stackSettings.home() + "   logs " + logs);
        progress.accept("Ctrl-C or ./fx down stops everything.");
    }

    /** Topics with their partitions and compaction (fx.links must be compacted), created once. */
    private void provisionTopics(Endpoints endpoints) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            List<String> created =
                    new TopicProvisioner(admin, Optional.empty())
                            .ensure(Topics.specs(TopicNames.withPrefix(settings.topicPrefix())));
            if (!created.isEmpty()) {
                progress.accept("created topics " + created);
            }
        }
    }

    /**
     * Heap plus the Java 17 module opens Flink needs, taken from {@code env.java.opts.all} in
     * flink-conf/config.yaml so they are written down once.
     */
    static List<String> flinkJvmFlags(Path configYaml) throws IOException {
        List<String> flags = new ArrayList<>(List.of("-Xmx1g"));
        for (String line : Files.readAllLines(configYaml)) {
            String t = line.trim();
            if (t.startsWith("all:") && t.contains("--add-")) {
                flags.addAll(List.of(t.substring("all:".length()).trim().split("\\s+")));
            }
        }
        return flags;
    }

    private Map<String, String> withFlinkEnv(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("FX_FLINK_CONF_DIR", settings.root().resolve("flink-conf").toString());
        e.put("FX_FLINK_REST_PORT", Integer.toString(settings.flinkRestPort()));
        return e;
    }

    private void startComponent(Component c, Path logs) throws Exception {
        progress.accept("starting " + c.name() + " ...");
        long t0 = System.nanoTime();
        running.add(c);
        c.start(logs, Duration.ofMinutes(3));
        progress.accept(
                String.format(
                        "%-13s started in %5d ms, pid %d, %d MB resident",
                        c.name(),
                        (System.nanoTime() - t0) / 1_000_000,
                        c.pid(),
                        ChildProcess.residentBytesOfTree(c.pid()) / (1024 * 1024)));
    }

    private Path collectJobJars(ModuleClasspath modules, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (PlatformSettings.JobSpec job : settings.jobs()) {
            Path jar = modules.jobJar(job.module());
            Files.copy(
                    jar,
                    dir.resolve(jar.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    private void submitJobs(ModuleClasspath modules) throws IOException {
        FlinkRestClient flink = new FlinkRestClient(settings.flinkRestUrl());
        List<String> active = flink.activeJobNames();
        for (PlatformSettings.JobSpec job : settings.jobs()) {
            if (active.contains(job.name())) {
                progress.accept(job.name() + " already running");
                continue;
            }
            long t0 = System.nanoTime();
            String id = flink.submit(modules.jobJar(job.module()), job.args());
            progress.accept(
                    String.format(
                            "%-13s submitted in %d ms, job %s",
                            job.name(), (System.nanoTime() - t0) / 1_000_000, id));
        }
    }

    private void writeState(String adminToken) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("manager.url", settings.managerUrl());
        p.setProperty("flink.url", settings.flinkRestUrl());
        p.setProperty("control.port", Integer.toString(settings.stack().controlPort()));
        for (Component c : running) {
            p.setProperty("component." + c.name() + ".pid", Long.toString(c.pid()));
            p.setProperty("component." + c.name() + ".health", c.healthUrl());
        }
        Path file = settings.stack().home().resolve(STATE_FILE);
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "written by fx up; removed by fx down");
        }
        // the CLI finds the local platform without flags
        Properties cli = new Properties();
        cli.setProperty("url", settings.managerUrl());
        cli.setProperty("token", adminToken);
        Path cliFile = settings.stack().home().resolve("cli.properties");
        try (var out = Files.newBufferedWriter(cliFile)) {
            cli.store(out, "the fx CLI's defaults for the local platform");
        }
        Files.setPosixFilePermissions(cliFile, PosixFilePermissions.fromString("rw-------"));
    }

    /** The local admin token: made once, kept (owner-only) in the working folder. */
    static String adminToken(Path home) throws IOException {
        return secretFile(home.resolve(TOKEN_FILE), "fx_", 32);
    }

    private static String secretsKey(Path home) throws IOException {
        byte[] raw = HexFormat.of().parseHex(secretFile(home.resolve("secrets-key.hex"), "", 32));
        return java.util.Base64.getEncoder().encodeToString(raw);
    }

    private static String secretFile(Path file, String prefix, int bytes) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        String value = prefix + HexFormat.of().formatHex(b);
        Files.createDirectories(file.getParent());
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return value;
    }

    @Override
    public synchronized void close() {
        List<Component> reverse = new ArrayList<>(running);
        java.util.Collections.reverse(reverse);
        for (Component c : reverse) {
            long t0 = System.nanoTime();
            c.stop();
            progress.accept(
                    String.format(
                            "stopped %-13s in %d ms",
                            c.name(), (System.nanoTime() - t0) / 1_000_000));
        }
        running.clear();
        if (supervisor != null) {
            supervisor.close();
            supervisor = null;
        }
        try {
            Files.deleteIfExists(settings.stack().home().resolve(STATE_FILE));
        } catch (IOException e) {
            progress.accept("could not remove " + STATE_FILE + ": " + e.getMessage());
        }
    }

    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path root() {
        return ProjectRoot.find();
    }
}
