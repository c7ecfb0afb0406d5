package io.fxflink.platform;

import java.util.Locale;

/** Where the platform's Flink jobs run. */
public enum FlinkMode {
    /** One JVM: a MiniCluster with REST and jar submission (the default, quickest to start). */
    MINI,
    /** A local standalone session cluster: a JobManager and TaskManager processes. */
    STANDALONE,
    /** An existing cluster at FX_FLINK_REST_URL: the jobs are submitted there, nothing starts. */
    REMOTE;

    static FlinkMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown Flink mode '" + value + "': use mini, standalone or remote");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
