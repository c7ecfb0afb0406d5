package io.fxflink.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.config.JobOptions;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.testing.FlinkFixtures;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.junit.jupiter.api.Test;

/** Builders only (no broker): a real-Kafka test of them belongs to the router's ITCases. */
class KafkaBuildersTest {

    @Test
    void sourceIsUnboundedAndProducesTheSchemaType() {
        LinkTopicDeserializationSchema schema = new LinkTopicDeserializationSchema();
        KafkaSource<?> source =
                KafkaSources.compactedFromEarliest(
                        FlinkFixtures.config("h:1"), "fx.links", "router-links", schema);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.getProducedType()).isEqualTo(schema.getProducedType());
    }

    @Test
    void exactlyOnceSinkCarriesThePrefixedTransactionalIdAndTimeout() throws Exception {
        JobConfig config =
                JobConfig.fromMap(
                        Map.of(
                                "kafka.bootstrap-servers", "h:1",
                                "kafka.delivery-guarantee", "exactly-once",
                                "kafka.transactional-id-prefix", "router"),
                        Map.of(),
                        List.of());
        KafkaSink<?> sink =
                KafkaSinks.build(config, "dead-letters", DeadLetters.serializationSchema("dlq"));

        // transactional ids are <prefix>-<sink name>: two sinks of one job never share one
        assertThat(field(sink, "deliveryGuarantee")).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(field(sink, "transactionalIdPrefix")).isEqualTo("router-dead-letters");
        Properties used = producerConfig(sink);
        assertThat(used.getProperty("transaction.timeout.ms"))
                .isEqualTo(String.valueOf(JobOptions.TRANSACTION_TIMEOUT_MS.defaultValue()));
        assertThat(used.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(used.getProperty("bootstrap.servers")).isEqualTo("h:1");
    }

    @Test
    void exactlyOnceWithoutATransactionalPrefixIsRefusedNamingTheOption() {
        assertThatThrownBy(
                        () ->
                                JobConfig.fromMap(
                                        Map.of(
                                                "kafka.bootstrap-servers", "h:1",
                                                "kafka.delivery-guarantee", "exactly-once"),
                                        Map.of(),
                                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "kafka.transactional-id-prefix (--kafka.transactional-id-prefix")
                .hasMessageContaining("is required when kafka.delivery-guarantee is exactly-once");
    }

    @Test
    void atLeastOnceSinkSetsNoTransactionTimeout() throws Exception {
        JobConfig config =
                JobConfig.fromMap(
                        Map.of(
                                "kafka.bootstrap-servers", "h:1",
                                "kafka.delivery-guarantee", "at-least-once",
                                "kafka.transactional-id-prefix", "router"),
                        Map.of(),
                        List.of());
        KafkaSink<?> sink =
                KafkaSinks.build(config, "dead-letters", DeadLetters.serializationSchema("dlq"));
        assertThat(field(sink, "deliveryGuarantee")).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(producerConfig(sink).getProperty("transaction.timeout.ms")).isNull();
    }

    @Test
    void jobProducerDefaultsApplyButUserPropertiesAndIdempotenceWin() throws Exception {
        JobConfig config =
                JobConfig.fromMap(
                        Map.of(
                                "kafka.bootstrap-servers", "h:1",
                                "kafka.properties.linger.ms", "7"),
                        Map.of(),
                        List.of());
        Properties defaults = new Properties();
        defaults.setProperty("linger.ms", "2");
        defaults.setProperty("compression.type", "lz4");
        defaults.setProperty("enable.idempotence", "false");

        KafkaSink<?> sink =
                KafkaSinks.build(
                        config, "dead-letters", DeadLetters.serializationSchema("dlq"), defaults);

        Properties used = producerConfig(sink);
        assertThat(used.getProperty("compression.type")).isEqualTo("lz4");
        assertThat(used.getProperty("linger.ms")).isEqualTo("7");
        assertThat(used.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(used.getProperty("bootstrap.servers")).isEqualTo("h:1");
        assertThat(defaults.getProperty("bootstrap.servers")).isNull();
    }

    private static Properties producerConfig(KafkaSink<?> sink) throws Exception {
        Method getter = KafkaSink.class.getDeclaredMethod("getKafkaProducerConfig");
        getter.setAccessible(true);
        return (Properties) getter.invoke(sink);
    }

    private static Object field(KafkaSink<?> sink, String name) throws Exception {
        Field f = KafkaSink.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(sink);
    }
}
