package io.fxflink.router.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.jobs.kafka.ConsumedCloudEventDeserializationSchema;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.RouterTestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The events topic's records as the router decodes them (shared schema, router's size limit). */
class EventsSourceSchemaTest {
    private final ConsumedCloudEventDeserializationSchema schema =
            new ConsumedCloudEventDeserializationSchema(DeadLetterStage.ROUTER, 4096);

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

    private Either<DeadLetterRecord, ConsumedEvent> decode(ConsumerRecord<byte[], byte[]> r) {
        List<Either<DeadLetterRecord, ConsumedEvent>> out = new ArrayList<>();
        schema.deserialize(
                r,
                new Collector<>() {
                    @Override
                    public void collect(Either<DeadLetterRecord, ConsumedEvent> e) {
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
        ConsumedEvent e =
                decode(record((RecordHeaders) pr.headers(), pr.key(), pr.value())).right();

        assertThat(e.event().id()).isEqualTo("e1");
        assertThat(e.event().data()).isEqualTo(data);
        assertThat(e.offset()).isEqualTo(77);
        assertThat(e.partition()).isEqualTo(1);
        assertThat(e.key()).isEqualTo("k".getBytes());
    }

    @Test
    void structuredModeEventIsAccepted() {
        RecordHeaders h = new RecordHeaders();
        h.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        byte[] value =
                ("{\"specversion\":\"1.0\",\"id\":\"s1\",\"source\":\"urn:x\",\"type\":\"t\","
                                + "\"data\":{\"a\":1}}")
                        .getBytes(StandardCharsets.UTF_8);
        ConsumedEvent e = decode(record(h, null, value)).right();

        assertThat(e.event().type()).isEqualTo("t");
    }

    @Test
    void garbageRecordsAreRejectedWithReasonAndOriginalBytes() {
        byte[] junk = "not an event".getBytes(StandardCharsets.UTF_8);
        RecordHeaders h = new RecordHeaders();
        h.add("x-custom", new byte[] {1});
        DeadLetterRecord noHeaders = decode(record(h, "key".getBytes(), junk)).left();

        assertThat(noHeaders.reason()).contains("NOT_A_CLOUDEVENT");
        assertThat(noHeaders.recordId()).isEqualTo("fx.events/1/77");
        assertThat(noHeaders.stage()).isEqualTo(DeadLetterStage.ROUTER);
        assertThat(noHeaders.originalValue()).isEqualTo(junk);
        assertThat(noHeaders.originalKey()).isEqualTo("key".getBytes());
        assertThat(noHeaders.originalHeaders()).containsKey("x-custom");

        RecordHeaders structured = new RecordHeaders();
        structured.add("content-type", "application/cloudevents+json".getBytes());
        assertThat(decode(record(structured, null, "{\"specversion\":".getBytes())).left().reason())
                .contains("MALFORMED_STRUCTURED_EVENT");

        RecordHeaders partial = new RecordHeaders();
        partial.add("ce_specversion", "1.0".getBytes());
        partial.add("ce_id", "x".getBytes());
        assertThat(decode(record(partial, null, junk)).left().reason()).contains("ce_source");

        RecordHeaders badVersion = new RecordHeaders();
        badVersion.add("ce_specversion", "9.9".getBytes());
        badVersion.add("ce_id", "x".getBytes());
        badVersion.add("ce_source", "urn:x".getBytes());
        badVersion.add("ce_type", "t".getBytes());
        assertThat(decode(record(badVersion, null, junk)).isLeft()).isTrue();
    }

    @Test
    void oversizeRecordIsRejected() {
        ProducerRecord<byte[], byte[]> pr =
                KafkaCloudEvents.toBinaryRecord(
                        "fx.events", null, RouterTestData.cloudEvent("e1", "t", new byte[5000]));
        DeadLetterRecord e = decode(record((RecordHeaders) pr.headers(), null, pr.value())).left();
        assertThat(e.reason()).contains("OVERSIZE");
    }
}
