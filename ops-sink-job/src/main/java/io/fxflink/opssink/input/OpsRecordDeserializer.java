package io.fxflink.opssink.input;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Kafka side of {@link OpsRecordDecoder}: every consumed record yields exactly one output. */
public final class OpsRecordDeserializer implements KafkaRecordDeserializationSchema<OpsInput> {
    private static final long serialVersionUID = 1L;

    private final OpsRecordDecoder decoder;

    public OpsRecordDeserializer(OpsRecordDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<OpsInput> out) {
        out.collect(
                decoder.decode(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        record.value(),
                        headers(record)));
    }

    private static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            if (h.key() != null && h.value() != null) {
                out.putIfAbsent(h.key(), h.value());
            }
        }
        return out;
    }

    @Override
    public TypeInformation<OpsInput> getProducedType() {
        return TypeInformation.of(OpsInput.class);
    }
}
