package io.fxflink.contracts.cloudevents;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents on Kafka, per the CloudEvents Kafka protocol binding, through the SDK.
 *
 * <p>Decoding never parses {@code data}: in binary mode the event's data is the record value as it
 * is, and encoding in binary mode writes the data bytes back as the record value unchanged.
 */
public final class KafkaCloudEvents {
    private static final CloudEventDecoder DEFAULT_DECODER = new CloudEventDecoder();

    private KafkaCloudEvents() {}

    /** Decodes with the default limits; see {@link CloudEventDecoder}. */
    public static DecodedEvent decode(ConsumerRecord<byte[], byte[]> record) {
        return DEFAULT_DECODER.decode(record);
    }

    public static DecodedEvent decode(String topic, Headers headers, byte[] value) {
        return DEFAULT_DECODER.decode(topic, headers, value);
    }

    /** Binary-mode record: attributes in ce_* headers, content-type header, value = data. */
    public static ProducerRecord<byte[], byte[]> toBinaryRecord(
            String topic, byte[] key, CloudEvent event) {
        return KafkaMessageFactory.<byte[]>createWriter(topic, key).writeBinary(event);
    }

    /** Binary-mode record to an explicit partition (null = by key). */
    public static ProducerRecord<byte[], byte[]> toBinaryRecord(
            String topic, Integer partition, byte[] key, CloudEvent event) {
        return KafkaMessageFactory.<byte[]>createWriter(topic, partition, key).writeBinary(event);
    }
}
