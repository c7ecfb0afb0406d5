package io.fxflink.contracts.topic;

import io.fxflink.contracts.internal.Checks;
import java.util.Map;

/**
 * How a topic is created: name, partitions, whether it is log-compacted, and extra topic configs.
 */
public record TopicSpec(
        String name, int partitions, boolean compacted, Map<String, String> configs) {
    public TopicSpec {
        Checks.text(name, "name", 249);
        Checks.range(partitions, 1, 10_000, "partitions");
        configs = Checks.map(configs, "configs", 64);
        if (compacted && !"compact".equals(configs.get("cleanup.policy"))) {
            throw new IllegalArgumentException(
                    "topic " + name + " is compacted but cleanup.policy is not 'compact'");
        }
    }

    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, false, Map.of());
    }
}
