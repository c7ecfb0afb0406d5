package io.fxflink.router.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * A MiniCluster of one TaskManager with two slots (parallelism 2), a fixed-delay restart strategy
 * and short heartbeats, whose TaskManager a test can kill and replace.
 */
final class RouterCluster implements AutoCloseable {
    static final int PARALLELISM = 2;
    private final MiniCluster cluster;

    RouterCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        conf.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, Duration.ofSeconds(5));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, PARALLELISM);
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(PARALLELISM)
                                .build());
        cluster.start();
    }

    /** An environment submitting to this cluster, checkpointing every {@code interval}. */
    StreamExecutionEnvironment environment(Duration checkpointInterval) {
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, PARALLELISM);
        env.enableCheckpointing(checkpointInterval.toMillis());
        return env;
    }

    /**
     * Kills the running TaskManager: when this returns its tasks have stopped (they fail), so
     * nothing it ran reads or writes Kafka any more.
     */
    void killTaskManager() throws Exception {
        cluster.terminateTaskManager(0).get();
    }

    /** Starts a fresh TaskManager, e.g. after {@link #killTaskManager()}. */
    void startTaskManager() throws Exception {
        cluster.startTaskManager();
    }

    /** The job's current execution graph (its checkpoint statistics are not cached). */
    AccessExecutionGraph executionGraph(JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
