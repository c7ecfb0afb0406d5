package io.fxflink.router.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.router.RouterTestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class CloudEventRecordSchemaTest {
    private final CloudEventRecordSchema schema = new CloudEventRecordSchema(4096);

    private static ConsumerRecord<byte[], byte[]> record(
            RecordHeaders headers, byte[] key, byte[] value) {
        return new ConsumerRecord<>(
                "fx.events",
                1,
                77,
                1000L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                key,
                value,
                headers,
                java.util.Optional.empty());
    }

    private InboundEvent decode(ConsumerRecord<byte[], byte[]> r) {
        List<InboundEvent> out = new ArrayList<>();
        schema.deserialize(
                r,
                new Collector<>() {
                    @Override
                    public void collect(InboundEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void binaryModeEventKeepsItsDataBytesUntouched() {
        byte[] data = new byte[] {0, 1, 2, (byte) 0xff, '{'};
        ProducerRecord<byte[], byte[]> pr =
                KafkaCloudEvents.toBinaryRecord(
                        "fx.events", "k".getBytes(), RouterTestData.cloudEvent("e1", "t", data));
        InboundEvent e = decode(record((RecordHeaders) pr.headers(), pr.key(), pr.value()));

        assertThat(e.isRejected()).isFalse();
        assertThat(e.id).isEqualTo("e1");
        assertThat(e.data).isEqualTo(data);
        assertThat(e.offset).isEqualTo(77);
        assertThat(e.toTriggerEvent().data()).isEqualTo(data);
    }

    @Test
    void structuredModeEventIsAccepted() {
        RecordHeaders h = new RecordHeaders();
        h.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        byte[] value =
                ("{\"specversion\":\"1.0\",\"id\":\"s1\",\"source\":\"urn:x\",\"type\":\"t\","
                                + "\"data\":{\"a\":1}}")
                        .getBytes(StandardCharsets.UTF_8);
        InboundEvent e = decode(record(h, null, value));

        assertThat(e.isRejected()).isFalse();
        assertThat(e.type).isEqualTo("t");
    }

    @Test
    void garbageRecordsAreRejectedWithReasonAndOriginalBytes() {
        byte[] junk = "not an event".getBytes(StandardCharsets.UTF_8);
        RecordHeaders h = new RecordHeaders();
        h.add("x-custom", new byte[] {1});
        InboundEvent noHeaders = decode(record(h, "key".getBytes(), junk));

        assertThat(noHeaders.isRejected()).isTrue();
        assertThat(noHeaders.rejectReason).contains("NOT_A_CLOUDEVENT");
        assertThat(noHeaders.rawValue).isEqualTo(junk);
        assertThat(noHeaders.rawHeaders()).containsKey("x-custom");

        RecordHeaders structured = new RecordHeaders();
        structured.add("content-type", "application/cloudevents+json".getBytes());
        assertThat(decode(record(structured, null, "{\"specversion\":".getBytes())).rejectReason)
                .contains("MALFORMED_STRUCTURED_EVENT");

        RecordHeaders partial = new RecordHeaders();
        partial.add("ce_specversion", "1.0".getBytes());
        partial.add("ce_id", "x".getBytes());
        assertThat(decode(record(partial, null, junk)).rejectReason).contains("ce_source");

        RecordHeaders badVersion = new RecordHeaders();
        badVersion.add("ce_specversion", "9.9".getBytes());
        badVersion.add("ce_id", "x".getBytes());
        badVersion.add("ce_source", "urn:x".getBytes());
        badVersion.add("ce_type", "t".getBytes());
        assertThat(decode(record(badVersion, null, junk)).isRejected()).isTrue();
    }

    @Test
    void oversizeRecordIsRejected() {
        ProducerRecord<byte[], byte[]> pr =
                KafkaCloudEvents.toBinaryRecord(
                        "fx.events", null, RouterTestData.cloudEvent("e1", "t", new byte[5000]));
        InboundEvent e = decode(record((RecordHeaders) pr.headers(), null, pr.value()));
        assertThat(e.rejectReason).contains("OVERSIZE");
    }
}
