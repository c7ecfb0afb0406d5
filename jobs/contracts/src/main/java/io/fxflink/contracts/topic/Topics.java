package io.fxflink.contracts.topic;

import java.util.List;
import java.util.Map;

/** Default topic names and the shape each topic is created with. */
public final class Topics {
    public static final String EVENTS = "fx.events";
    public static final String LINKS = "fx.links";
    public static final String EXECUTIONS = "fx.executions";
    public static final String OPS_LOGS = "fx.ops.logs";
    public static final String OPS_EXECUTIONS = "fx.ops.executions";
    public static final String OPS_METRICS = "fx.ops.metrics";
    public static final String DEAD_LETTER = "fx.deadletter";

    /** Partitions of the high-volume topics (events, executions, ops). */
    public static final int DEFAULT_PARTITIONS = 4;

    private Topics() {}

    /** One spec per topic for the given names. */
    public static List<TopicSpec> specs(TopicNames names) {
        return List.of(
                TopicSpec.of(names.events(), DEFAULT_PARTITIONS),
                // compacted: the latest configuration per key is the state; one partition keeps
                // one total order of link and service changes
                new TopicSpec(
                        names.links(),
                        1,
                        true,
                        Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")),
                TopicSpec.of(names.executions(), DEFAULT_PARTITIONS),
                TopicSpec.of(names.opsLogs(), DEFAULT_PARTITIONS),
                TopicSpec.of(names.opsExecutions(), DEFAULT_PARTITIONS),
                TopicSpec.of(names.opsMetrics(), 1),
                TopicSpec.of(names.deadLetter(), 1));
    }
}
