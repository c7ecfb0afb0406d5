package io.fxflink.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);

    private final MiniCluster cluster;
    private final int restPort;

    private LocalFlinkCluster(MiniCluster cluster, int restPort) {
        this.cluster = cluster;
        this.restPort = restPort;
    }

    /**
     * Loads {@code config.yaml} from {@code confDir}, puts the working folder in for {@code
     * <FX_HOME>} and starts the cluster.
     */
    public static LocalFlinkCluster start(Path confDir, Path home, int restPort, int slots)
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
        return new LocalFlinkCluster(cluster, restPort);
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    @Override
    public void close() throws Exception {
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
