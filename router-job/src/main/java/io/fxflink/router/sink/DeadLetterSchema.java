package io.fxflink.router.sink;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.serde.Codecs;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters to the dead-letter topic: key = record id (stable across replays), JSON value. */
public final class DeadLetterSchema implements KafkaRecordSerializationSchema<DeadLetterRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetterRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                record.recordId().getBytes(StandardCharsets.UTF_8),
                Codecs.DEAD_LETTER.encode(record));
    }
}
