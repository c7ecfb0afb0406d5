package io.fxflink.router;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.router.sink.DeadLetterSchema;
import io.fxflink.router.sink.ExecutionRequestSchema;
import io.fxflink.router.source.CloudEventRecordSchema;
import io.fxflink.router.source.InboundEvent;
import io.fxflink.router.source.LinkRecordSchema;
import io.fxflink.router.source.LinkUpdate;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The router's real Kafka connectors, built from {@link RouterOptions}. Kept apart from {@link
 * RouterJob} so tests and benchmarks can inject their own.
 */
public final class RouterConnectors {
    /** Longer than any checkpoint interval; at most the broker's transaction.max.timeout.ms. */
    private static final String TRANSACTION_TIMEOUT_MS = "900000";

    private RouterConnectors() {}

    /**
     * The events topic from the committed offsets of the consumer group (the checkpoint's offsets
     * win on restore), else from {@link RouterOptions#startFrom()}.
     */
    @SuppressWarnings("deprecation")
    public static KafkaSource<InboundEvent> events(RouterOptions o) {
        OffsetResetStrategy reset =
                o.startFrom() == RouterOptions.StartFrom.LATEST
                        ? OffsetResetStrategy.LATEST
                        : OffsetResetStrategy.EARLIEST;
        return KafkaSource.<InboundEvent>builder()
                .setBootstrapServers(o.kafkaBootstrap())
                .setTopics(o.topics().events())
                .setGroupId(o.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                .setDeserializer(new CloudEventRecordSchema(o.maxEventBytes()))
                .setProperties(consumerProperties(o))
                .build();
    }

    /** The whole compacted links topic, from the earliest offset, every time (late linking). */
    public static KafkaSource<LinkUpdate> links(RouterOptions o) {
        return KafkaSource.<LinkUpdate>builder()
                .setBootstrapServers(o.kafkaBootstrap())
                .setTopics(o.topics().links())
                .setGroupId(o.groupId() + "-links")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new LinkRecordSchema())
                .setProperties(consumerProperties(o))
                .build();
    }

    public static KafkaSink<ExecutionRequest> executions(RouterOptions o) {
        return sink(o, new ExecutionRequestSchema(o.topics().executions()), "executions");
    }

    public static KafkaSink<DeadLetterRecord> deadLetters(RouterOptions o) {
        return sink(o, new DeadLetterSchema(o.topics().deadLetter()), "deadletter");
    }

    private static <T> KafkaSink<T> sink(
            RouterOptions o, KafkaRecordSerializationSchema<T> schema, String name) {
        Properties props = new Properties();
        // low latency first: small linger, batches still form under load
        props.setProperty("linger.ms", "2");
        props.setProperty("batch.size", "131072");
        props.setProperty("compression.type", "lz4");
        props.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        props.putAll(o.kafkaProperties());
        var builder =
                KafkaSink.<T>builder()
                        .setBootstrapServers(o.kafkaBootstrap())
                        .setRecordSerializer(schema)
                        .setDeliveryGuarantee(o.deliveryGuarantee())
                        .setKafkaProducerConfig(props);
        if (o.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(o.transactionalIdPrefix() + "-" + name);
        }
        return builder.build();
    }

    private static Properties consumerProperties(RouterOptions o) {
        Properties props = new Properties();
        // only committed records: events written in a transaction are routed once it commits
        props.setProperty("isolation.level", "read_committed");
        props.setProperty("partition.discovery.interval.ms", "60000");
        props.putAll(o.kafkaProperties());
        return props;
    }
}
