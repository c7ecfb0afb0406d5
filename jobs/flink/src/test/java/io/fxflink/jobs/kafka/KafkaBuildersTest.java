package io.fxflink.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.testing.FlinkFixtures;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.source.Boundedness;
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
    void exactlyOnceSinkBuildsWithTheConfiguredTransactionalPrefix() {
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
        assertThat(sink).isNotNull();
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

        Method getter = KafkaSink.class.getDeclaredMethod("getKafkaProducerConfig");
        getter.setAccessible(true);
        Properties used = (Properties) getter.invoke(sink);
        assertThat(used.getProperty("compression.type")).isEqualTo("lz4");
        assertThat(used.getProperty("linger.ms")).isEqualTo("7");
        assertThat(used.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(used.getProperty("bootstrap.servers")).isEqualTo("h:1");
        assertThat(defaults.getProperty("bootstrap.servers")).isNull();
    }
}
