package io.fxflink.jobs.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * One shared MiniCluster per test class, parallelism 2 (so keyed/broadcast/network paths are
 * exercised). Use as {@code @RegisterExtension static final MiniClusterExtension FLINK =
 * FlinkMiniCluster.extension();}. Needs flink-test-utils in the caller's test scope.
 */
public final class FlinkMiniCluster {
    public static final int PARALLELISM = 2;

    private FlinkMiniCluster() {}

    public static MiniClusterExtension extension() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(PARALLELISM)
                        .build());
    }
}
