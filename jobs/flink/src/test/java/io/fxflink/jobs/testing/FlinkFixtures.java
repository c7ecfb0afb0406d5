package io.fxflink.jobs.testing;

import io.cloudevents.CloudEvent;
import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.jobs.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Small factories for Flink-side tests: consumer records, configs, a list collector. */
public final class FlinkFixtures {
    private FlinkFixtures() {}

    /** A config with only the bootstrap servers set (everything else default). */
    public static JobConfig config(String bootstrapServers) {
        return JobConfig.fromMap(
                Map.of("kafka.bootstrap-servers", bootstrapServers), Map.of(), List.of());
    }

    public static ConsumerRecord<byte[], byte[]> consumerRecord(
            String topic, long offset, byte[] key, byte[] value, Headers headers) {
        return new ConsumerRecord<>(
                topic,
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                headers == null ? new RecordHeaders() : headers,
                Optional.empty());
    }

    public static ConsumerRecord<byte[], byte[]> consumerRecord(
            String topic, long offset, String key, String value) {
        return consumerRecord(
                topic,
                offset,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                null);
    }

    /** The CloudEvent as the events topic holds it (binary mode), as a consumed record. */
    public static ConsumerRecord<byte[], byte[]> eventRecord(
            String topic, long offset, CloudEvent event) {
        ProducerRecord<byte[], byte[]> pr = KafkaCloudEvents.toBinaryRecord(topic, null, event);
        return consumerRecord(topic, offset, pr.key(), pr.value(), pr.headers());
    }

    public static ConsumerRecord<byte[], byte[]> linkRecord(
            String topic, long offset, LinkTopicRecord record) {
        return consumerRecord(
                topic,
                offset,
                LinkTopicCodec.encodeKey(record),
                LinkTopicCodec.encodeValue(record),
                null);
    }

    /** A Flink {@link Collector} that keeps what it gets, for schema tests. */
    public static final class ListCollector<T> implements Collector<T> {
        private final List<T> items = new ArrayList<>();

        @Override
        public void collect(T record) {
            items.add(record);
        }

        @Override
        public void close() {}

        public List<T> items() {
            return items;
        }

        public T single() {
            if (items.size() != 1) {
                throw new AssertionError("expected one item, got " + items);
            }
            return items.get(0);
        }
    }
}
