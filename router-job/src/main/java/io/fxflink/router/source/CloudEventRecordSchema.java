package io.fxflink.router.source;

import io.fxflink.contracts.cloudevents.CloudEventDecoder;
import io.fxflink.contracts.cloudevents.DecodedEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes records of the events topic with the CloudEvents SDK (through {@link CloudEventDecoder}):
 * binary mode natively, structured JSON mode too, {@code data} never parsed. Never throws: a record
 * that is not a routable CloudEvent becomes a rejected {@link InboundEvent} with the reason and its
 * original bytes, for the dead-letter topic.
 */
public final class CloudEventRecordSchema
        implements KafkaRecordDeserializationSchema<InboundEvent> {
    private static final long serialVersionUID = 1L;

    private final int maxValueBytes;
    private transient CloudEventDecoder decoder;

    public CloudEventRecordSchema(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InboundEvent> out) {
        if (decoder == null) {
            decoder = new CloudEventDecoder(maxValueBytes);
        }
        DecodedEvent decoded = decoder.decode(record);
        if (decoded instanceof DecodedEvent.Ok ok) {
            out.collect(
                    InboundEvent.decoded(
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.timestamp(),
                            record.key(),
                            ok.trigger()));
        } else {
            DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
            out.collect(
                    InboundEvent.rejected(
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.timestamp(),
                            record.key(),
                            record.value(),
                            headers(record),
                            rejected.problem() + ": " + rejected.message()));
        }
    }

    private static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            out.put(h.key(), h.value() == null ? new byte[0] : h.value());
        }
        return out;
    }

    @Override
    public TypeInformation<InboundEvent> getProducedType() {
        return TypeInformation.of(InboundEvent.class);
    }
}
