package io.fxflink.contracts.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.fxflink.contracts.cloudevents.DecodedEvent.Problem;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.testing.ContractFixtures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaCloudEventsTest {
    private static final String TOPIC = "fx.events";

    @Test
    void binaryRecordRoundTripsAttributesExtensionsAndData() {
        CloudEvent event = ContractFixtures.cloudEvent("e-1", "com.example.order.created");
        ProducerRecord<byte[], byte[]> record =
                KafkaCloudEvents.toBinaryRecord(TOPIC, bytes("k"), event);
        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(record.key()).isEqualTo(bytes("k"));
        assertThat(record.partition()).isNull();
        assertThat(record.value()).isEqualTo(event.getData().toBytes());
        assertThat(header(record.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record.headers(), "ce_id")).isEqualTo("e-1");
        assertThat(header(record.headers(), "ce_source")).isEqualTo("urn:test");
        assertThat(header(record.headers(), "ce_type")).isEqualTo("com.example.order.created");
        assertThat(header(record.headers(), "ce_subject")).isEqualTo("eu");
        assertThat(header(record.headers(), "ce_time")).isEqualTo("2025-01-02T03:04:05+02:00");
        assertThat(header(record.headers(), "ce_fxdepth")).isEqualTo("1");
        assertThat(header(record.headers(), "content-type")).isEqualTo("application/json");
        // the data content type travels as content-type only, not as a ce_ header
        assertThat(record.headers().lastHeader("ce_datacontenttype")).isNull();

        DecodedEvent decoded = KafkaCloudEvents.decode(TOPIC, record.headers(), record.value());

        assertThat(decoded).isInstanceOf(DecodedEvent.Ok.class);
        CloudEvent back = ((DecodedEvent.Ok) decoded).event();
        assertThat(back.getSpecVersion()).isEqualTo(event.getSpecVersion());
        assertThat(back.getId()).isEqualTo("e-1");
        assertThat(back.getSource()).isEqualTo(URI.create("urn:test"));
        assertThat(back.getType()).isEqualTo("com.example.order.created");
        assertThat(back.getDataContentType()).isEqualTo("application/json");
        assertThat(back.getSubject()).isEqualTo("eu");
        assertThat(back.getTime()).isEqualTo(event.getTime());
        assertThat(back.getExtension(FxExtensions.DEPTH)).isEqualTo("1");
        assertThat(back.getData().toBytes()).isEqualTo(event.getData().toBytes());
        assertThat(back.getExtensionNames()).containsExactlyInAnyOrder(FxExtensions.DEPTH);
        assertThat(back).isEqualTo(event);
    }

    @Test
    void binaryDataBytesPassThroughUntouchedEvenWhenNotValidJson() {
        byte[] data = {'{', 0, (byte) 0xff, (byte) 0xfe, '"', 'x'};
        CloudEvent event =
                CloudEventBuilder.v1()
                        .withId("e")
                        .withSource(URI.create("urn:x"))
                        .withType("t")
                        .withData("application/json", data)
                        .build();
        ProducerRecord<byte[], byte[]> record = KafkaCloudEvents.toBinaryRecord(TOPIC, null, event);
        assertThat(record.value()).isEqualTo(data);
        assertThat(record.key()).isNull();
        assertThat(header(record.headers(), "content-type")).isEqualTo("application/json");

        DecodedEvent decoded = KafkaCloudEvents.decode(TOPIC, record.headers(), record.value());
        assertThat(decoded).isInstanceOf(DecodedEvent.Ok.class);
        DecodedEvent.Ok ok = (DecodedEvent.Ok) decoded;
        assertThat(ok.event().getId()).isEqualTo("e");
        assertThat(ok.trigger().id()).isEqualTo("e");

        // the decoder wraps the record value: no copy, no parse
        assertThat(ok.event().getData().toBytes()).isSameAs(record.value());
        assertThat(ok.trigger().data()).isSameAs(record.value());
        ProducerRecord<byte[], byte[]> again =
                KafkaCloudEvents.toBinaryRecord(TOPIC, null, ok.trigger().toCloudEvent());
        assertThat(again.value()).isEqualTo(data);
        assertThat(header(again.headers(), "ce_id")).isEqualTo("e");
        assertThat(header(again.headers(), "ce_source")).isEqualTo("urn:x");
        assertThat(header(again.headers(), "ce_type")).isEqualTo("t");
        assertThat(header(again.headers(), "content-type")).isEqualTo("application/json");
    }

    @Test
    void structuredJsonEventIsAccepted() {
        EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        CloudEvent event = ContractFixtures.cloudEvent("s-1", "com.example.x");
        Headers headers = new RecordHeaders();
        headers.add("content-type", bytes("application/cloudevents+json; charset=utf-8"));

        DecodedEvent decoded = KafkaCloudEvents.decode(TOPIC, headers, json.serialize(event));

        assertThat(decoded).isInstanceOf(DecodedEvent.Ok.class);
        CloudEvent back = ((DecodedEvent.Ok) decoded).event();
        assertThat(back.getId()).isEqualTo("s-1");
        assertThat(back.getSource()).isEqualTo(URI.create("urn:test"));
        assertThat(back.getType()).isEqualTo("com.example.x");
        assertThat(back.getSubject()).isEqualTo("eu");
        assertThat(back.getTime()).isEqualTo(event.getTime());
        assertThat(back.getDataContentType()).isEqualTo("application/json");
        TriggerEvent trigger = ((DecodedEvent.Ok) decoded).trigger();
        assertThat(trigger.id()).isEqualTo("s-1");
        assertThat(trigger.source()).isEqualTo("urn:test");
        assertThat(trigger.type()).isEqualTo("com.example.x");
        assertThat(trigger.extension(FxExtensions.DEPTH)).contains("1");
        // JSON data is embedded in the envelope: the decoded data is that JSON, byte for byte
        assertThat(new String(trigger.data(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":42}");
    }

    @Test
    void triggerEventConvertsBackToAnEquivalentCloudEvent() {
        CloudEvent event = ContractFixtures.cloudEvent("e-1", "com.example.order.created");
        TriggerEvent trigger = TriggerEvent.from(event);
        CloudEvent back = trigger.toCloudEvent();
        assertThat(back).isEqualTo(event);
        assertThat(TriggerEvent.from(back)).isEqualTo(trigger);
        assertThat(FxExtensions.depth(trigger)).isEqualTo(1);
        assertThat(FxExtensions.rootId(trigger)).isEqualTo("e-1");
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of(
                        "missing ce_id",
                        headers("ce_specversion", "1.0", "ce_source", "urn:x", "ce_type", "t"),
                        Problem.MISSING_ATTRIBUTE,
                        "ce_id"),
                Arguments.of(
                        "missing ce_type",
                        headers("ce_specversion", "1.0", "ce_source", "urn:x", "ce_id", "1"),
                        Problem.MISSING_ATTRIBUTE,
                        "ce_type"),
                Arguments.of(
                        "empty ce_id",
                        headers(
                                "ce_specversion",
                                "1.0",
                                "ce_source",
                                "urn:x",
                                "ce_type",
                                "t",
                                "ce_id",
                                ""),
                        Problem.MISSING_ATTRIBUTE,
                        "ce_id"),
                Arguments.of(
                        "no ce_specversion",
                        headers("ce_id", "1", "ce_source", "urn:x", "ce_type", "t"),
                        Problem.NOT_A_CLOUDEVENT,
                        "ce_specversion"),
                Arguments.of(
                        "no headers at all", new RecordHeaders(), Problem.NOT_A_CLOUDEVENT, ""),
                Arguments.of(
                        "bad specversion",
                        headers(
                                "ce_specversion",
                                "9.9",
                                "ce_id",
                                "1",
                                "ce_source",
                                "urn:x",
                                "ce_type",
                                "t"),
                        Problem.INVALID_SPECVERSION,
                        "9.9"),
                Arguments.of(
                        "garbage time",
                        headers(
                                "ce_specversion",
                                "1.0",
                                "ce_id",
                                "1",
                                "ce_source",
                                "urn:x",
                                "ce_type",
                                "t",
                                "ce_time",
                                "yesterday"),
                        Problem.INVALID_ATTRIBUTE,
                        "time"),
                Arguments.of(
                        "garbage source",
                        headers(
                                "ce_specversion",
                                "1.0",
                                "ce_id",
                                "1",
                                "ce_source",
                                "::: ::",
                                "ce_type",
                                "t"),
                        Problem.INVALID_ATTRIBUTE,
                        "source"),
                Arguments.of(
                        "invalid extension name",
                        headers(
                                "ce_specversion",
                                "1.0",
                                "ce_id",
                                "1",
                                "ce_source",
                                "urn:x",
                                "ce_type",
                                "t",
                                "ce_Bad-Name",
                                "x"),
                        Problem.INVALID_ATTRIBUTE,
                        ""),
                Arguments.of(
                        "structured but not JSON",
                        headers("content-type", "application/cloudevents+json"),
                        Problem.MALFORMED_STRUCTURED_EVENT,
                        ""),
                Arguments.of(
                        "structured batch",
                        headers("content-type", "application/cloudevents-batch+json"),
                        Problem.UNSUPPORTED_CONTENT_TYPE,
                        "batch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void badRecordIsRejectedWithAReason(
            String name, Headers headers, Problem problem, String mentions) {
        DecodedEvent decoded = KafkaCloudEvents.decode(TOPIC, headers, bytes("{not json"));
        assertThat(decoded).isInstanceOf(DecodedEvent.Rejected.class);
        DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
        assertThat(rejected.problem()).isEqualTo(problem);
        assertThat(rejected.message()).isNotBlank().contains(mentions);
    }

    @Test
    void structuredEventMissingIdIsRejected() {
        Headers headers = headers("content-type", "application/cloudevents+json");
        DecodedEvent decoded =
                KafkaCloudEvents.decode(
                        TOPIC,
                        headers,
                        bytes("{\"specversion\":\"1.0\",\"type\":\"t\",\"source\":\"urn:x\"}"));
        assertThat(decoded).isInstanceOf(DecodedEvent.Rejected.class);
        DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
        assertThat(rejected.problem()).isEqualTo(Problem.MALFORMED_STRUCTURED_EVENT);
        assertThat(rejected.message())
                .startsWith("malformed structured event: ")
                .contains("Missing mandatory id attribute");
    }

    @Test
    void oversizeValueIsRejectedBeforeDecoding() {
        CloudEventDecoder decoder = new CloudEventDecoder(10);
        DecodedEvent decoded =
                decoder.decode(
                        TOPIC,
                        headers(
                                "ce_specversion",
                                "1.0",
                                "ce_id",
                                "1",
                                "ce_source",
                                "urn:x",
                                "ce_type",
                                "t"),
                        new byte[11]);
        assertThat(decoded).isInstanceOf(DecodedEvent.Rejected.class);
        DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
        assertThat(rejected.problem()).isEqualTo(Problem.OVERSIZE);
        assertThat(rejected.message()).isEqualTo("record value is 11 bytes (max 10)");
    }

    @Test
    void overlongIdIsRejectedAsInvalidAttribute() {
        DecodedEvent decoded =
                KafkaCloudEvents.decode(
                        TOPIC,
                        headers(
                                "ce_specversion",
                                "1.0",
                                "ce_id",
                                "x".repeat(300),
                                "ce_source",
                                "urn:x",
                                "ce_type",
                                "t"),
                        null);
        assertThat(decoded).isInstanceOf(DecodedEvent.Rejected.class);
        DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
        assertThat(rejected.problem()).isEqualTo(Problem.INVALID_ATTRIBUTE);
        assertThat(rejected.message()).contains("'id' is too long");
    }

    @Test
    void invalidUtf8InAnAttributeHeaderIsRejectedNotReplaced() {
        Headers headers = headers("ce_specversion", "1.0", "ce_source", "urn:x", "ce_type", "t");
        // 0xc3 starts a two-byte sequence that '(' does not continue
        headers.add("ce_id", new byte[] {(byte) 0xc3, (byte) 0x28});
        DecodedEvent decoded = KafkaCloudEvents.decode(TOPIC, headers, null);

        assertThat(decoded).isInstanceOf(DecodedEvent.Rejected.class);
        DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
        assertThat(rejected.problem()).isEqualTo(Problem.INVALID_ATTRIBUTE);
        assertThat(rejected.message()).isEqualTo("header ce_id is not valid UTF-8 (2 bytes)");
    }

    @Test
    void invalidUtf8InTheBinaryModePayloadIsCarriedAsItCame() {
        Headers headers =
                headers(
                        "ce_specversion",
                        "1.0",
                        "ce_id",
                        "1",
                        "ce_source",
                        "urn:x",
                        "ce_type",
                        "t");
        byte[] data = {(byte) 0xc3, (byte) 0x28, 0};
        DecodedEvent decoded = KafkaCloudEvents.decode(TOPIC, headers, data);

        assertThat(decoded).isInstanceOf(DecodedEvent.Ok.class);
        assertThat(((DecodedEvent.Ok) decoded).trigger().data()).containsExactly(data);
    }

    private static Headers headers(String... kv) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < kv.length; i += 2) {
            headers.add(kv[i], bytes(kv[i + 1]));
        }
        return headers;
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
