package io.fxflink.jobs.kafka;

import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.config.JobOptions;
import java.util.Objects;
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
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        DeliveryGuarantee guarantee = config.deliveryGuarantee();
        KafkaSinkBuilder<T> builder =
                KafkaSink.<T>builder()
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
}
