package io.fxflink.platform;

import io.fxflink.stack.internal.ChildProcess;
import io.fxflink.stack.internal.Probes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Flink standalone session cluster as separate processes: one JobManager and N
 * TaskManagers, each its own JVM on the platform module's classpath, sized exactly as flink-dist's
 * scripts size them. A supervisor replaces a TaskManager that dies, as a cluster manager would, so
 * the jobs restart from their latest checkpoint on the new one. Closing stops every process it
 * started (and their descendants), TaskManagers first.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneFlinkCluster.class);
    static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final long SUPERVISE_EVERY_MS = 250;

    /**
     * What to start.
     *
     * @param confTemplateDir the folder of the {@code config.yaml} to start from ({@code
     *     flink-conf/})
     * @param home the platform's working folder (FX_HOME): conf, logs and checkpoints go under it
     * @param classpath the JVMs' classpath (Flink runtime, clients, web, streaming, table)
     * @param overrides Flink settings applied last (memory sizes, slots)
     */
    public record Spec(
            Path confTemplateDir,
            Path home,
            int restPort,
            int rpcPort,
            int taskManagers,
            String classpath,
            Map<String, String> overrides) {
        public Spec {
            if (taskManagers < 1) {
                throw new IllegalArgumentException(
                        "a standalone cluster needs at least one TaskManager, got " + taskManagers);
            }
            overrides = Map.copyOf(overrides);
        }
    }

    private final Spec spec;
    private final Path work;
    private final FlinkClusterConf conf;
    private final FlinkRestClient rest;
    private final AtomicInteger restarts = new AtomicInteger();
    private final ScheduledExecutorService supervisor =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "flink-tm-supervisor");
                        t.setDaemon(true);
                        return t;
                    });
    private ChildProcess jobManager;
    private final ChildProcess[] taskManagers;
    private volatile boolean closing;

    private StandaloneFlinkCluster(Spec spec, Path work, FlinkClusterConf conf) {
        this.spec = spec;
        this.work = work;
        this.conf = conf;
        this.rest = new FlinkRestClient(restUrl(spec.restPort()));
        this.taskManagers = new ChildProcess[spec.taskManagers()];
    }

    /** Starts the JobManager, then the TaskManagers; returns once all are registered. */
    public static StandaloneFlinkCluster start(Spec spec) throws Exception {
        Path work = spec.home().resolve("flink-cluster");
        FlinkClusterConf conf =
                FlinkClusterConf.write(
                        spec.confTemplateDir(),
                        spec.home(),
                        work,
                        spec.restPort(),
                        spec.rpcPort(),
                        spec.overrides());
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(spec, work, conf);
        try {
            cluster.startJobManager();
            for (int i = 0; i < spec.taskManagers(); i++) {
                cluster.startTaskManager(i);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        cluster.supervisor.scheduleWithFixedDelay(
                cluster::replaceDeadTaskManagers,
                SUPERVISE_EVERY_MS,
                SUPERVISE_EVERY_MS,
                TimeUnit.MILLISECONDS);
        return cluster;
    }

    public String restUrl() {
        return restUrl(spec.restPort());
    }

    private static String restUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    /** The TaskManagers' current pids (a replaced one has a new pid). */
    public synchronized List<Long> taskManagerPids() {
        List<Long> pids = new ArrayList<>();
        for (ChildProcess tm : taskManagers) {
            if (tm != null) {
                pids.add(tm.pid());
            }
        }
        return pids;
    }

    /** How many TaskManagers the supervisor replaced since the start. */
    public int taskManagerRestarts() {
        return restarts.get();
    }

    public Path logDir() {
        return work.resolve("log");
    }

    private void startJobManager() throws Exception {
        long t0 = System.nanoTime();
        JobManagerProcessSpec memory = JobManagerProcessUtils.processSpecFromConfig(conf.config());
        List<String> cmd =
                command(
                        FlinkClusterConf.split(
                                JobManagerProcessUtils.generateJvmParametersStr(
                                        memory, conf.config())),
                        logDir().resolve("jobmanager.log"),
                        JOB_MANAGER_MAIN,
                        FlinkClusterConf.split(
                                JobManagerProcessUtils.generateDynamicConfigsStr(memory)));
        jobManager = launch("flink-jobmanager", cmd, logDir().resolve("jobmanager.out"));
        Probes.await(
                "Flink JobManager REST at " + restUrl(),
                START_TIMEOUT,
                rest::answers,
                () -> checkAlive(jobManager, logDir().resolve("jobmanager.log")));
        LOG.info(
                "Flink JobManager up in {} ms, pid {}, REST {}, RPC port {}, logs {}",
                (System.nanoTime() - t0) / 1_000_000,
                jobManager.pid(),
                restUrl(),
                spec.rpcPort(),
                logDir());
    }

    /** Starts TaskManager {@code index} and waits until a new TaskManager id is registered. */
    private void startTaskManager(int index) throws Exception {
        long t0 = System.nanoTime();
        Set<String> before = new HashSet<>(registeredTaskManagers());
        Configuration c = conf.config();
        TaskExecutorProcessSpec memory = TaskExecutorProcessUtils.processSpecFromConfig(c);
        String name = "taskmanager-" + index;
        List<String> cmd =
                command(
                        FlinkClusterConf.split(ProcessMemoryUtils.generateJvmParametersStr(memory)),
                        logDir().resolve(name + ".log"),
                        TASK_MANAGER_MAIN,
                        FlinkClusterConf.split(
                                TaskExecutorProcessUtils.generateDynamicConfigsStr(memory)));
        ChildProcess tm = launch("flink-" + name, cmd, logDir().resolve(name + ".out"));
        synchronized (this) {
            taskManagers[index] = tm;
        }
        Probes.await(
                "Flink " + name + " registered with the JobManager",
                START_TIMEOUT,
                () -> !before.containsAll(registeredTaskManagers()),
                () -> checkAlive(tm, logDir().resolve(name + ".log")));
        LOG.info(
                "Flink {} registered in {} ms, pid {}",
                name,
                (System.nanoTime() - t0) / 1_000_000,
                tm.pid());
    }

    /** The supervisor's round: a TaskManager that is gone is replaced by a new process. */
    private void replaceDeadTaskManagers() {
        for (int i = 0; i < taskManagers.length && !closing; i++) {
            ChildProcess tm;
            synchronized (this) {
                tm = taskManagers[i];
            }
            if (tm == null || tm.isAlive()) {
                continue;
            }
            int n = restarts.incrementAndGet();
            LOG.warn(
                    "Flink taskmanager-{} (pid {}) is gone; starting a replacement (restart #{}),"
                            + " the jobs restart from their latest checkpoint on it",
                    i,
                    tm.pid(),
                    n);
            try {
                startTaskManager(i);
            } catch (Exception e) {
                // the next round tries again: a cluster manager keeps the cluster at its size
                LOG.error("replacing Flink taskmanager-{} failed: {}", i, e.getMessage());
            }
        }
    }

    private List<String> registeredTaskManagers() {
        try {
            return rest.taskManagerIds();
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<String> command(
            List<String> memoryJvmArgs, Path logFile, String mainClass, List<String> dynamic) {
        return command(
                ChildProcess.javaExecutable(),
                memoryJvmArgs,
                conf.javaOptions(),
                logFile,
                conf.log4jFile(),
                spec.classpath(),
                mainClass,
                dynamic,
                conf.dir());
    }

    /** The command line of a JobManager or TaskManager, as flink-dist's scripts compose it. */
    static List<String> command(
            String java,
            List<String> memoryJvmArgs,
            List<String> javaOptions,
            Path logFile,
            Path log4jConfig,
            String classpath,
            String mainClass,
            List<String> dynamicProperties,
            Path confDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(memoryJvmArgs);
        cmd.addAll(javaOptions);
        cmd.add("-Dlog.file=" + logFile);
        cmd.add("-Dlog4j.configurationFile=file:" + log4jConfig);
        cmd.add("-classpath");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(dynamicProperties);
        cmd.add("--configDir");
        cmd.add(confDir.toString());
        return cmd;
    }

    private ChildProcess launch(String name, List<String> cmd, Path out) throws IOException {
        return ChildProcess.start(
                name,
                cmd,
                Map.of(
                        "FLINK_CONF_DIR", conf.dir().toString(),
                        "FLINK_PLUGINS_DIR", work.resolve("plugins").toString()),
                work,
                out);
    }

    private static void checkAlive(ChildProcess p, Path log) {
        if (!p.isAlive()) {
            throw new IllegalStateException(
                    "the process exited; last lines of "
                            + log
                            + ":\n"
                            + ChildProcess.tail(log, 40));
        }
    }

    @Override
    public void close() {
        closing = true;
        supervisor.shutdownNow();
        try {
            supervisor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (int i = 0; i < taskManagers.length; i++) {
                if (taskManagers[i] != null) {
                    taskManagers[i].stop(30);
                    taskManagers[i] = null;
                }
            }
        }
        if (jobManager != null) {
            jobManager.stop(30);
            jobManager = null;
        }
    }
}
