package io.fxflink.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class JobConfigTest {

    @Test
    void defaultsApplyWhenOnlyBootstrapServersAreGiven() {
        JobConfig c =
                JobConfig.parse(
                        new String[] {"--kafka.bootstrap-servers", "h:1"}, Map.of(), List.of());
        assertThat(c.bootstrapServers()).isEqualTo("h:1");
        assertThat(c.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(c.get(JobOptions.GROUP_ID_PREFIX)).isEqualTo("fx");
        assertThat(c.get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(JobOptions.StartingOffsets.COMMITTED_OR_EARLIEST);
        assertThat(c.get(JobOptions.TRANSACTIONAL_ID_PREFIX)).isNull();
        assertThat(c.topics().events()).isEqualTo("fx.events");
        assertThat(c.topics().links()).isEqualTo("fx.links");
    }

    @Test
    void committedOrLatestIsAStartingOffsetsChoice() {
        JobConfig c =
                JobConfig.parse(
                        new String[] {
                            "--kafka.bootstrap-servers", "h:1",
                            "--kafka.starting-offsets", "committed-or-latest"
                        },
                        Map.of(),
                        List.of());
        assertThat(c.get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(JobOptions.StartingOffsets.COMMITTED_OR_LATEST);
    }

    @Test
    void missingBootstrapServersIsReportedWithFlagAndEnvName() {
        assertThatThrownBy(() -> JobConfig.parse(new String[0], Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid job configuration")
                .hasMessageContaining(
                        "kafka.bootstrap-servers (--kafka.bootstrap-servers or FX_KAFKA_BOOTSTRAP_SERVERS")
                .hasMessageContaining("is required");
    }

    @Test
    void environmentIsUsedAndArgsWin() {
        Map<String, String> env =
                Map.of(
                        "FX_KAFKA_BOOTSTRAP_SERVERS", "env:1",
                        "FX_KAFKA_GROUP_ID_PREFIX", "from-env");
        JobConfig c =
                JobConfig.parse(
                        new String[] {"--kafka.group-id-prefix", "from-args"}, env, List.of());
        assertThat(c.bootstrapServers()).isEqualTo("env:1");
        assertThat(c.get(JobOptions.GROUP_ID_PREFIX)).isEqualTo("from-args");
    }

    @Test
    void exactlyOnceWithoutTransactionalIdPrefixIsRejected() {
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        new String[] {
                                            "--kafka.bootstrap-servers", "h:1",
                                            "--kafka.delivery-guarantee", "exactly-once"
                                        },
                                        Map.of(),
                                        List.of()))
                .hasMessageContaining("kafka.transactional-id-prefix")
                .hasMessageContaining("required when kafka.delivery-guarantee is exactly-once");
    }

    @Test
    void badValuesAreAllReportedTogether() {
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        new String[] {
                                            "--kafka.delivery-guarantee", "maybe-once",
                                            "--kafka.transaction-timeout-ms", "soon"
                                        },
                                        Map.of(),
                                        List.of()))
                .hasMessageContaining("kafka.delivery-guarantee")
                .hasMessageContaining("at-least-once")
                .hasMessageContaining("was 'maybe-once'")
                .hasMessageContaining("kafka.transaction-timeout-ms")
                .hasMessageContaining("must be an integer, was 'soon'")
                .hasMessageContaining("kafka.bootstrap-servers");
    }

    @Test
    void topicPrefixAndSingleTopicOverrideCombine() {
        JobConfig c =
                JobConfig.parse(
                        new String[] {
                            "--kafka.bootstrap-servers", "h:1",
                            "--topics.prefix", "t7.",
                            "--topics.links", "special.links"
                        },
                        Map.of(),
                        List.of());
        assertThat(c.topics().events()).isEqualTo("t7.fx.events");
        assertThat(c.topics().links()).isEqualTo("special.links");
    }

    @Test
    void jobSpecificOptionsAreParsedAndKafkaPropertiesPassedThrough() {
        JobOption<Integer> maxDepth = JobOption.integer("router.max-depth", 32, "loop cut-off");
        JobConfig c =
                JobConfig.parse(
                        new String[] {
                            "--kafka.bootstrap-servers", "h:1",
                            "--router.max-depth", "5",
                            "--kafka.properties.security.protocol", "SASL_SSL"
                        },
                        Map.of(),
                        List.of(maxDepth));
        assertThat(c.get(maxDepth)).isEqualTo(5);
        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.toString()).doesNotContain("SASL_SSL");
    }
}
