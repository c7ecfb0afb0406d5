package io.fxflink.contracts.topic;

import io.fxflink.contracts.internal.Checks;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The topic names one deployment uses; defaults, a common prefix, or per-topic overrides.
 * Serializable because Flink jobs ship it inside their configuration.
 */
public record TopicNames(
        String events,
        String links,
        String executions,
        String opsLogs,
        String opsExecutions,
        String opsMetrics,
        String deadLetter)
        implements Serializable {

    public TopicNames {
        Checks.text(events, "events", 249);
        Checks.text(links, "links", 249);
        Checks.text(executions, "executions", 249);
        Checks.text(opsLogs, "opsLogs", 249);
        Checks.text(opsExecutions, "opsExecutions", 249);
        Checks.text(opsMetrics, "opsMetrics", 249);
        Checks.text(deadLetter, "deadLetter", 249);
    }

    public static TopicNames defaults() {
        return withPrefix("");
    }

    /** E.g. prefix {@code "test-42."} gives {@code test-42.fx.events}. */
    public static TopicNames withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        return new TopicNames(
                p + Topics.EVENTS,
                p + Topics.LINKS,
                p + Topics.EXECUTIONS,
                p + Topics.OPS_LOGS,
                p + Topics.OPS_EXECUTIONS,
                p + Topics.OPS_METRICS,
                p + Topics.DEAD_LETTER);
    }

    /**
     * Defaults with overrides keyed by the default name (e.g. {@code fx.events -> my.events}), so
     * config files can say {@code topic.fx.events=my.events}.
     */
    public static TopicNames withOverrides(Map<String, String> byDefaultName) {
        Map<String, String> o = byDefaultName == null ? Map.of() : byDefaultName;
        return new TopicNames(
                o.getOrDefault(Topics.EVENTS, Topics.EVENTS),
                o.getOrDefault(Topics.LINKS, Topics.LINKS),
                o.getOrDefault(Topics.EXECUTIONS, Topics.EXECUTIONS),
                o.getOrDefault(Topics.OPS_LOGS, Topics.OPS_LOGS),
                o.getOrDefault(Topics.OPS_EXECUTIONS, Topics.OPS_EXECUTIONS),
                o.getOrDefault(Topics.OPS_METRICS, Topics.OPS_METRICS),
                o.getOrDefault(Topics.DEAD_LETTER, Topics.DEAD_LETTER));
    }

    public List<String> all() {
        return List.of(events, links, executions, opsLogs, opsExecutions, opsMetrics, deadLetter);
    }
}
