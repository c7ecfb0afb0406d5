package io.fxflink.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.testing.FlinkFixtures;
import java.util.List;
import java.util.Map;
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
}
