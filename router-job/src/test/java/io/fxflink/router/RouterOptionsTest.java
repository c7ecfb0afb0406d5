package io.fxflink.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.config.JobOptions;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class RouterOptionsTest {
    @Test
    void defaultsAreTheLocalStackAndAtLeastOnce() {
        RouterOptions o = RouterOptions.defaults();
        assertThat(o.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(o.topics().events()).isEqualTo("fx.events");
        assertThat(o.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(o.dedupeWindow()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void argumentsEnvironmentPrefixesAndOverridesApply() {
        RouterOptions o =
                RouterOptions.parse(
                        new String[] {
                            "--topic.prefix",
                            "t1.",
                            "--topic.fx.events=raw.events",
                            "--delivery=exactly-once",
                            "--dedupe.window",
                            "30 s",
                            "--kafka.prop.security.protocol=PLAINTEXT"
                        },
                        Map.of("FX_KAFKA_BOOTSTRAP", "kafka:9092"));
        assertThat(o.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(o.topics().events()).isEqualTo("raw.events");
        assertThat(o.topics().executions()).isEqualTo("t1.fx.executions");
        assertThat(o.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(o.dedupeWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.kafkaProperties()).containsEntry("security.protocol", "PLAINTEXT");
    }

    @Test
    void theSharedJobConfigCarriesEveryConnectorSetting() {
        RouterOptions o =
                RouterOptions.parse(
                        new String[] {
                            "--topic.prefix=t1.",
                            "--group.id=g",
                            "--events.start-from=latest",
                            "--delivery=exactly-once",
                            "--transactional.id.prefix=tx",
                            "--kafka.prop.security.protocol=PLAINTEXT"
                        },
                        Map.of("FX_KAFKA_BOOTSTRAP", "kafka:9092"));

        JobConfig c = o.jobConfig();

        assertThat(c.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(c.topics()).isEqualTo(o.topics());
        assertThat(c.get(JobOptions.GROUP_ID_PREFIX)).isEqualTo("g");
        assertThat(c.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(c.get(JobOptions.TRANSACTIONAL_ID_PREFIX)).isEqualTo("tx");
        assertThat(c.get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(JobOptions.StartingOffsets.COMMITTED_OR_LATEST);
        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "PLAINTEXT");
        assertThat(RouterOptions.defaults().jobConfig().get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(JobOptions.StartingOffsets.COMMITTED_OR_EARLIEST);
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--nope", "1"}, Map.of()))
                .hasMessageContaining("unknown option --nope");
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"positional"}, Map.of()))
                .hasMessageContaining("expected --key value");
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--group.id"}, Map.of()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(
                        () ->
                                RouterOptions.parse(
                                        new String[] {"--max.causation.depth", "x"}, Map.of()))
                .hasMessageContaining("must be an integer");
        assertThatThrownBy(
                        () ->
                                RouterOptions.parse(
                                        new String[] {"--max.causation.depth", "-1"}, Map.of()))
                .hasMessageContaining("between 0 and 10000");
        assertThatThrownBy(
                        () -> RouterOptions.parse(new String[] {"--delivery", "maybe"}, Map.of()))
                .hasMessageContaining("at-least-once");
        assertThatThrownBy(
                        () ->
                                RouterOptions.parse(
                                        new String[] {"--dedupe.window", "soon"}, Map.of()))
                .hasMessageContaining("duration");
        assertThatThrownBy(
                        () ->
                                RouterOptions.parse(
                                        new String[] {
                                            "--delivery",
                                            "exactly-once",
                                            "--transactional.id.prefix",
                                            " "
                                        },
                                        Map.of()))
                .hasMessageContaining("exactly-once delivery needs --transactional.id.prefix");
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--topic.fx.nope=x"}, Map.of()))
                .hasMessageContaining("unknown topic override");
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--kafka.bootstrap="}, Map.of()))
                .hasMessageContaining("kafka.bootstrap");
    }
}
