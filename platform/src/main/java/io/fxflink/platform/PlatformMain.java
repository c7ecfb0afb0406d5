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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private final List<Component> supervised = new ArrayList<>();
    private final ScheduledExecutorService componentSupervisor =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "fx-component-supervisor");
                        t.setDaemon(true);
                        return t;
                    });
    private final Object stateLock = new Object();
    private volatile boolean closing;
    private LocalStack stack;
    private StackSupervisor supervisor;
    private StandaloneFlinkCluster standaloneFlink;

    PlatformMain(PlatformSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        boolean reset = false;
        Optional<String> flinkMode = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--reset")) {
                reset = true;
            } else if (args[i].equals("--flink") && i + 1 < args.length) {
                flinkMode = Optional.of(args[++i]);
            } else if (args[i].startsWith("--flink=")) {
                flinkMode = Optional.of(args[i].substring("--flink=".length()));
            } else {
                System.err.println(
                        "[fx] unknown argument '"
                                + args[i]
                                + "': use --reset and --flink mini|standalone|remote");
                System.exit(2);
            }
        }
        PlatformSettings settings;
        try {
            settings = PlatformSettings.fromEnvironment(flinkMode);
        } catch (IllegalArgumentException e) {
            System.err.println("[fx] " + e.getMessage());
            System.exit(2);
            return;
        }
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

        startFlink(modules, env, logs);
        submitJobs(modules);
        Component executor =
                new Component(
                        "executor",
                        settings.executorMainClass(),
                        modules.of("executor-service"),
                        List.of("-Xmx512m"),
                        env,
                        "http://127.0.0.1:" + settings.executorHealthPort() + "/health");
        startComponent(executor, logs);
        Component manager =
                new Component(
                        "manager",
                        settings.managerMainClass(),
                        modules.of("manager"),
                        List.of("-Xmx512m"),
                        env,
                        settings.managerUrl() + "/health");
        startComponent(manager, logs);
        supervised.addAll(List.of(executor, manager));
        writeState(adminToken);
        componentSupervisor.scheduleWithFixedDelay(
                () -> restartDeadComponents(logs, adminToken), 1, 1, TimeUnit.SECONDS);
        progress.accept(String.format("platform up in %.1f s", (System.nanoTime() - t0) / 1e9));
        progress.accept("manager     " + settings.managerUrl());
        progress.accept("admin token " + adminToken);
        progress.accept(
                "flink       "
                        + settings.flinkRestUrl()
                        + " ("
                        + settings.flinkMode().label()
                        + ")");
        progress.accept("data        " + stackSettings.home() + "   logs " + logs);
        progress.accept("Ctrl-C or ./fx down stops everything.");
    }

    /**
     * The cluster the jobs run on: a MiniCluster process (default), a standalone cluster of
     * JobManager and TaskManager processes, or a remote cluster that must already answer.
     */
    private void startFlink(ModuleClasspath modules, Map<String, String> env, Path logs)
            throws Exception {
        switch (settings.flinkMode()) {
            case MINI ->
                    startComponent(
                            new Component(
                                    "flink",
                                    LocalFlinkCluster.class.getName(),
                                    modules.of("platform"),
                                    flinkJvmFlags(
                                            settings.root().resolve("flink-conf/config.yaml")),
                                    withFlinkEnv(env),
                                    settings.flinkRestUrl() + "/overview"),
                            logs);
            case STANDALONE -> {
                progress.accept(
                        "starting flink (standalone: a JobManager and "
                                + settings.flinkTaskManagers()
                                + " TaskManager process(es)) ...");
                long t0 = System.nanoTime();
                standaloneFlink =
                        StandaloneFlinkCluster.start(
                                new StandaloneFlinkCluster.Spec(
                                        settings.root().resolve("flink-conf"),
                                        settings.stack().home(),
                                        settings.flinkRestPort(),
                                        settings.flinkRpcPort(),
                                        settings.flinkTaskManagers(),
                                        modules.of("platform"),
                                        Map.of()));
                progress.accept(
                        String.format(
                                "%-13s started in %5d ms, JobManager pid %d, TaskManager pids %s,"
                                        + " logs %s",
                                "flink",
                                (System.nanoTime() - t0) / 1_000_000,
                                standaloneFlink.jobManagerPid(),
                                standaloneFlink.taskManagerPids(),
                                standaloneFlink.logDir()));
            }
            case REMOTE -> {
                FlinkRestClient remote = new FlinkRestClient(settings.flinkRestUrl());
                if (!remote.answers()) {
                    throw new IllegalStateException(
                            "no Flink cluster answers at "
                                    + settings.flinkRestUrl()
                                    + " (FX_FLINK_REST_URL): start it, or use --flink mini");
                }
                progress.accept(
                        "flink         remote cluster at "
                                + settings.flinkRestUrl()
                                + ", "
                                + remote.taskManagerIds().size()
                                + " TaskManager(s)");
            }
        }
    }

    /**
     * The supervisor's round: the executor or the manager that died is started again (their state
     * is in Kafka and PostgreSQL, so a new process carries on where the old one stopped).
     */
    private void restartDeadComponents(Path logs, String adminToken) {
        for (Component c : supervised) {
            if (closing || c.isAlive()) {
                continue;
            }
            progress.accept(c.name() + " (pid " + c.pid() + ") exited; starting it again");
            try {
                long t0 = System.nanoTime();
                c.start(logs, Duration.ofMinutes(3));
                progress.accept(
                        String.format(
                                "%-13s restarted in %d ms, pid %d",
                                c.name(), (System.nanoTime() - t0) / 1_000_000, c.pid()));
                writeState(adminToken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // the next round tries again
                progress.accept("restarting " + c.name() + " failed: " + e.getMessage());
            }
        }
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
        synchronized (stateLock) {
            if (!closing) {
                writeStateFiles(adminToken);
            }
        }
    }

    private void writeStateFiles(String adminToken) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("manager.url", settings.managerUrl());
        p.setProperty("flink.url", settings.flinkRestUrl());
        p.setProperty("flink.mode", settings.flinkMode().label());
        if (standaloneFlink != null) {
            p.setProperty("flink.taskmanagers", Integer.toString(settings.flinkTaskManagers()));
            p.setProperty("component.flink.pid", Long.toString(standaloneFlink.jobManagerPid()));
        }
        if (settings.flinkMode() != FlinkMode.MINI) {
            p.setProperty("component.flink.health", settings.flinkRestUrl() + "/overview");
        }
        p.setProperty("control.port", Integer.toString(settings.stack().controlPort()));
        for (Component c : running) {
            p.setProperty("component." + c.name() + ".pid", Long.toString(c.pid()));
            p.setProperty("component." + c.name() + ".health", c.healthUrl());
        }
        // the CLI finds the local platform without flags
        Properties cli = new Properties();
        cli.setProperty("url", settings.managerUrl());
        cli.setProperty("token", adminToken);
        writeAtomically(
                settings.stack().home().resolve("cli.properties"),
                cli,
                "the fx CLI's defaults for the local platform");
        // last, and whole: the state file says "up", so everything it promises exists before it
        writeAtomically(
                settings.stack().home().resolve(STATE_FILE),
                p,
                "written by fx up; removed by fx down");
    }

    /** Writes owner-only properties to a temporary file and moves it into place in one step. */
    private static void writeAtomically(Path file, Properties props, String comment)
            throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var out = Files.newBufferedWriter(tmp)) {
            props.store(out, comment);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
        closing = true;
        componentSupervisor.shutdownNow();
        try {
            componentSupervisor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        if (standaloneFlink != null) {
            long t0 = System.nanoTime();
            standaloneFlink.close();
            standaloneFlink = null;
            progress.accept(
                    String.format(
                            "stopped %-13s in %d ms",
                            "flink", (System.nanoTime() - t0) / 1_000_000));
        }
        if (supervisor != null) {
            supervisor.close();
            supervisor = null;
        }
        try {
            synchronized (stateLock) {
                Files.deleteIfExists(settings.stack().home().resolve(STATE_FILE));
            }
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
