package io.fxflink.router.source;

import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.serde.InvalidRecordException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes and validates records of the compacted links topic (including CESQL filters, which {@code
 * Link} parses on construction). Never throws: a broken record becomes a rejected {@link
 * LinkUpdate} for the dead-letter topic, so one bad link never stops the job.
 */
public final class LinkRecordSchema implements KafkaRecordDeserializationSchema<LinkUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LinkUpdate> out) {
        out.collect(
                decode(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        record.value()));
    }

    public static LinkUpdate decode(
            String topic, int partition, long offset, byte[] key, byte[] value) {
        try {
            LinkTopicRecord decoded = LinkTopicCodec.decode(key, value);
            return LinkUpdate.of(decoded, topic, partition, offset);
        } catch (InvalidRecordException | IllegalArgumentException e) {
            return LinkUpdate.rejected(topic, partition, offset, key, value, e.getMessage());
        } catch (RuntimeException e) {
            return LinkUpdate.rejected(
                    topic,
                    partition,
                    offset,
                    key,
                    value,
                    "unreadable links record: "
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage());
        }
    }

    @Override
    public TypeInformation<LinkUpdate> getProducedType() {
        return TypeInformation.of(LinkUpdate.class);
    }
}
