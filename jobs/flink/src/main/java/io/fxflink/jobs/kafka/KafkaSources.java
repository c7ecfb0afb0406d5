package io.fxflink.jobs.kafka;

import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.config.JobOptions;
import java.util.Objects;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** FLIP-27 Kafka sources configured from a {@link JobConfig}. */
public final class KafkaSources {
    private KafkaSources() {}

    /**
     * A source for one topic with group id {@code <group-id-prefix>.<name>}; starts from committed
     * offsets (or as configured) when there is no checkpoint.
     *
     * @param name short stable name of the source, e.g. "router-events"
     */
    public static <T> KafkaSource<T> forTopic(
            JobConfig config,
            String topic,
            String name,
            KafkaRecordDeserializationSchema<T> schema) {
        return builder(config, topic, name, schema)
                .setStartingOffsets(startingOffsets(config))
                .build();
    }

    /**
     * A source that always reads a compacted topic from the beginning when there is no checkpoint
     * (e.g. the links topic: the whole topic is the configuration).
     */
    public static <T> KafkaSource<T> compactedFromEarliest(
            JobConfig config,
            String topic,
            String name,
            KafkaRecordDeserializationSchema<T> schema) {
        return builder(config, topic, name, schema)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .build();
    }

    private static <T> org.apache.flink.connector.kafka.source.KafkaSourceBuilder<T> builder(
            JobConfig config,
            String topic,
            String name,
            KafkaRecordDeserializationSchema<T> schema) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        String groupId = config.get(JobOptions.GROUP_ID_PREFIX) + "." + name;
        return KafkaSource.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setClientIdPrefix(groupId)
                .setDeserializer(schema)
                // skip records of aborted transactions (manager outbox, exactly-once sinks)
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperties(config.kafkaProperties());
    }

    @SuppressWarnings("deprecation") // the connector's API still takes OffsetResetStrategy
    private static OffsetsInitializer startingOffsets(JobConfig config) {
        return switch (config.get(JobOptions.STARTING_OFFSETS)) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED_OR_EARLIEST ->
                    OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case COMMITTED_OR_LATEST ->
                    OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
        };
    }
}
