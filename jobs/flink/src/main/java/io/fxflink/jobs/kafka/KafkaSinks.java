package io.fxflink.jobs.kafka;

import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.config.JobOptions;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;

/** Sink v2 Kafka sinks configured from a {@link JobConfig}. */
public final class KafkaSinks {
    private KafkaSinks() {}

    /**
     * A sink with the configured delivery guarantee.
     *
     * @param name short stable name, unique within the job (e.g. "router-executions"); with
     *     exactly-once it becomes part of the transactional id, so it must not change between
     *     restarts
     */
    public static <T> KafkaSink<T> build(
            JobConfig config, String name, KafkaRecordSerializationSchema<T> schema) {
        return build(config, name, schema, new Properties());
    }

    /**
     * As {@link #build(JobConfig, String, KafkaRecordSerializationSchema)}, with producer settings
     * of the job (e.g. linger.ms, batch.size, compression.type) applied first: the guarantee's own
     * settings and the user's {@code kafka.properties.*} win over them.
     */
    public static <T> KafkaSink<T> build(
            JobConfig config,
            String name,
            KafkaRecordSerializationSchema<T> schema,
            Properties producerDefaults) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        DeliveryGuarantee guarantee = config.deliveryGuarantee();
        KafkaSinkBuilder<T> builder =
                KafkaSink.<T>builder()
                        .setKafkaProducerConfig(copy(producerDefaults))
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(schema)
                        .setDeliveryGuarantee(guarantee)
                        .setProperty("enable.idempotence", "true");
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(
                            config.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                    .setProperty(
                            "transaction.timeout.ms",
                            String.valueOf(config.get(JobOptions.TRANSACTION_TIMEOUT_MS)));
        }
        // one by one: user-given client properties win, the rest of the builder stays
        config.kafkaProperties().forEach((k, v) -> builder.setProperty((String) k, (String) v));
        return builder.build();
    }

    private static Properties copy(Properties p) {
        Properties out = new Properties();
        out.putAll(Objects.requireNonNull(p, "producerDefaults"));
        return out;
    }
}
