package io.fxflink.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Flink session cluster in one JVM: a MiniCluster with its REST API and jar submission
 * ({@code /jars/upload}, {@code /jars/:id/run}) turned on, configured from {@code flink-conf/}.
 * Jobs reach it exactly as they reach a real cluster, so the manager's job submission and {@code
 * flink run -m} work the same locally and in production.
 *
 * <p>A supervisor keeps the cluster able to run its jobs, as the standalone cluster's supervisor
 * and a cluster manager do: when no TaskManager is registered (the MiniCluster's only TaskManager
 * dies on a fatal error, e.g. {@code FATAL - exception in exception handler of task}), or a job
 * stays RESTARTING (or RUNNING with tasks that never get a slot) longer than a bound while no slot
 * is free, it starts a new TaskManager in the MiniCluster; the jobs then restart from their latest
 * checkpoint on it. Each replacement is logged with the jobs' states and latest failure.
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);

    /**
     * How the supervisor watches the cluster.
     *
     * @param every how often it looks
     * @param stuckFor a job RESTARTING (or RUNNING with tasks not running) for longer, while no
     *     slot is free, gets a new TaskManager
     * @param registerWithin a TaskManager it started that has not registered by then is started
     *     again
     */
    public record Supervision(Duration every, Duration stuckFor, Duration registerWithin) {
        public static Supervision defaults() {
            return new Supervision(
                    Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(30));
        }
    }

    private final MiniCluster cluster;
    private final int restPort;
    private final FlinkRestClient rest;
    private final AtomicInteger restarts = new AtomicInteger();
    private final Map<String, Long> stuckSince = new HashMap<>();
    private final ScheduledExecutorService supervisor =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "flink-local-tm-supervisor");
                        t.setDaemon(true);
                        return t;
                    });
    private Supervision supervision;
    private long startedTaskManagerAt;
    private volatile boolean closing;

    private LocalFlinkCluster(MiniCluster cluster, int restPort) {
        this.cluster = cluster;
        this.restPort = restPort;
        this.rest = new FlinkRestClient("http://127.0.0.1:" + restPort);
    }

    /**
     * Loads {@code config.yaml} from {@code confDir}, puts the working folder in for {@code
     * <FX_HOME>} and starts the cluster.
     */
    public static LocalFlinkCluster start(Path confDir, Path home, int restPort, int slots)
            throws Exception {
        return start(confDir, home, restPort, slots, Optional.of(Supervision.defaults()));
    }

    /**
     * As {@link #start(Path, Path, int, int)}; {@code supervision} empty = no supervisor (a lost
     * TaskManager stays lost, as in a bare MiniCluster).
     */
    public static LocalFlinkCluster start(
            Path confDir, Path home, int restPort, int slots, Optional<Supervision> supervision)
            throws Exception {
        Path work = home.resolve("flink");
        Path renderedConf = work.resolve("conf");
        Files.createDirectories(renderedConf);
        String yaml =
                Files.readString(confDir.resolve("config.yaml"))
                        .replace("<FX_HOME>", home.toAbsolutePath().toString());
        Files.writeString(renderedConf.resolve("config.yaml"), yaml);
        for (String dir : new String[] {"tmp", "web-tmp", "checkpoints", "savepoints"}) {
            Files.createDirectories(work.resolve(dir));
        }
        Configuration conf = GlobalConfiguration.loadConfiguration(renderedConf.toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, restPort);
        conf.set(WebOptions.SUBMIT_ENABLE, true);
        conf.set(WebOptions.CANCEL_ENABLE, true);
        conf.set(WebOptions.UPLOAD_DIR, work.resolve("jars").toString());
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        LOG.info(
                "local Flink session cluster: REST on http://127.0.0.1:{}, {} slots",
                restPort,
                slots);
        LocalFlinkCluster local = new LocalFlinkCluster(cluster, restPort);
        supervision.ifPresent(local::supervise);
        return local;
    }

    private void supervise(Supervision s) {
        this.supervision = s;
        long every = s.every().toMillis();
        supervisor.scheduleWithFixedDelay(this::superviseOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** How many TaskManagers the supervisor started since the cluster started. */
    public int taskManagerRestarts() {
        return restarts.get();
    }

    /**
     * Stops the MiniCluster's TaskManager number {@code index} (0 = the first one started), as a
     * fatal error in it does; for drills and tests.
     */
    public CompletableFuture<Void> terminateTaskManager(int index) {
        return cluster.terminateTaskManager(index);
    }

    /** The supervisor's round; a failure is logged and the next round looks again. */
    private void superviseOnce() {
        if (closing) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            List<String> registered = rest.taskManagerIds();
            List<JsonNode> jobs = rest.jobs();
            if (registered.isEmpty()) {
                if (now - startedTaskManagerAt < supervision.registerWithin().toMillis()) {
                    return; // the one started last is still registering
                }
                replaceTaskManager("no TaskManager is registered", jobs);
                return;
            }
            startedTaskManagerAt = 0;
            List<String> stuck = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (JsonNode j : jobs) {
                String id = j.path("jid").asText();
                if (!waitsForSlots(j)) {
                    continue;
                }
                seen.add(id);
                long since = stuckSince.computeIfAbsent(id, k -> now);
                if (now - since > supervision.stuckFor().toMillis()) {
                    stuck.add(j.path("name").asText() + " " + describe(j, now - since));
                }
            }
            stuckSince.keySet().retainAll(seen);
            if (!stuck.isEmpty() && rest.freeSlots() == 0) {
                replaceTaskManager(
                        registered.size()
                                + " TaskManager(s) registered but no slot free, jobs stuck: "
                                + String.join("; ", stuck),
                        jobs);
                stuckSince.clear();
            }
        } catch (IOException e) {
            LOG.debug("supervisor: the local Flink REST API did not answer: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("supervisor: starting a TaskManager failed, trying again: {}", e.toString());
        }
    }

    private void replaceTaskManager(String why, List<JsonNode> jobs) throws Exception {
        List<String> states = new ArrayList<>();
        for (JsonNode j : jobs) {
            String state = j.path("state").asText();
            if (List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                continue;
            }
            String line = j.path("name").asText() + " " + state;
            Optional<String> cause = rest.latestException(j.path("jid").asText());
            states.add(cause.map(c -> line + " after " + c).orElse(line));
        }
        int n = restarts.incrementAndGet();
        LOG.warn(
                "local Flink cluster: {}; starting a new TaskManager in the MiniCluster (restart"
                        + " #{}), the jobs restart from their latest checkpoint on it. Jobs: {}",
                why,
                n,
                states.isEmpty() ? "none" : String.join("; ", states));
        startedTaskManagerAt = System.currentTimeMillis();
        cluster.startTaskManager();
    }

    /** RESTARTING, or RUNNING / CREATED with tasks that are not running (waiting for slots). */
    private static boolean waitsForSlots(JsonNode j) {
        String state = j.path("state").asText();
        JsonNode t = j.path("tasks");
        boolean tasksWaiting =
                t.path("running").asInt() + t.path("finished").asInt() < t.path("total").asInt();
        return state.equals("RESTARTING")
                || ((state.equals("RUNNING") || state.equals("CREATED")) && tasksWaiting);
    }

    private static String describe(JsonNode j, long forMs) {
        JsonNode t = j.path("tasks");
        return j.path("state").asText()
                + " for "
                + forMs / 1000
                + " s ("
                + t.path("running").asInt()
                + " of "
                + t.path("total").asInt()
                + " tasks running)";
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        supervisor.shutdownNow();
        supervisor.awaitTermination(30, TimeUnit.SECONDS);
        cluster.close();
    }

    /** Runs the cluster in the foreground until the process is stopped. */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path confDir = Path.of(env.getOrDefault("FX_FLINK_CONF_DIR", "flink-conf"));
        Path home = Path.of(env.getOrDefault("FX_HOME", ".stack/local"));
        int port = Integer.parseInt(env.getOrDefault("FX_FLINK_REST_PORT", "8081"));
        int slots = Integer.parseInt(env.getOrDefault("FX_FLINK_SLOTS", "4"));
        LocalFlinkCluster c = start(confDir, home, port, slots);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        c.close();
                                    } catch (Exception e) {
                                        LOG.warn("stopping the local Flink cluster failed", e);
                                    }
                                    stopped.countDown();
                                },
                                "flink-stop"));
        System.out.println("flink session up: " + c.restUrl());
        stopped.await();
    }
}
