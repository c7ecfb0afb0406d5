package io.fxflink.jobs.kafka;

import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.JsonCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a contract record as JSON with a key taken from the record (e.g. the service name for
 * execution requests, so one service's requests share a partition).
 */
public final class ContractSerializationSchema<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private transient JsonCodec<T> codec;

    public ContractSerializationSchema(
            String topic, JsonCodec<T> codec, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.type = codec.type();
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = Codecs.forType(type);
        }
        String k = key.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                codec.encode(element));
    }
}
