package io.fxflink.contracts.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void defaultNamesAreTheDocumentedOnes() {
        assertThat(TopicNames.defaults().all())
                .containsExactly(
                        "fx.events",
                        "fx.links",
                        "fx.executions",
                        "fx.ops.logs",
                        "fx.ops.executions",
                        "fx.ops.metrics",
                        "fx.deadletter");
    }

    @Test
    void prefixAndOverridesChangeOnlyTheNames() {
        assertThat(TopicNames.withPrefix("t1.").events()).isEqualTo("t1.fx.events");
        TopicNames o = TopicNames.withOverrides(Map.of("fx.events", "my.events"));
        assertThat(o.events()).isEqualTo("my.events");
        assertThat(o.links()).isEqualTo("fx.links");
    }

    @Test
    void linksTopicIsCompactedWithOnePartitionAndOthersAreNot() {
        var specs = Topics.specs(TopicNames.defaults());
        assertThat(specs).hasSize(7);
        TopicSpec links = specs.stream().filter(s -> s.name().equals("fx.links")).findFirst().get();
        assertThat(links.compacted()).isTrue();
        assertThat(links.partitions()).isEqualTo(1);
        assertThat(links.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(specs.stream().filter(TopicSpec::compacted)).hasSize(1);
    }

    @Test
    void compactedSpecWithoutCompactPolicyIsRejected() {
        assertThatThrownBy(() -> new TopicSpec("x", 1, true, Map.of()))
                .hasMessageContaining("cleanup.policy is not 'compact'");
    }
}
