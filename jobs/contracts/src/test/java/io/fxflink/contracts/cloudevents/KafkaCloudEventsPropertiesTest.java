package io.fxflink.contracts.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.testing.ContractArbitraries;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

class KafkaCloudEventsPropertiesTest {

    @Property(tries = 300)
    void anyTriggerEventSurvivesABinaryKafkaRoundTrip(@ForAll("triggers") TriggerEvent trigger) {
        ProducerRecord<byte[], byte[]> record =
                KafkaCloudEvents.toBinaryRecord("t", null, trigger.toCloudEvent());
        DecodedEvent decoded = KafkaCloudEvents.decode("t", record.headers(), record.value());
        assertThat(decoded).isInstanceOf(DecodedEvent.Ok.class);
        TriggerEvent back = ((DecodedEvent.Ok) decoded).trigger();
        assertThat(back.id()).isEqualTo(trigger.id());
        assertThat(back.type()).isEqualTo(trigger.type());
        assertThat(back.source()).isEqualTo(trigger.source());
        assertThat(back.extensions()).isEqualTo(trigger.extensions());
        assertThat(back.time()).isEqualTo(trigger.time());
        // binary mode: the value is the data, byte for byte (empty data reads as no value)
        assertThat(record.value()).isEqualTo(trigger.data());
    }

    @Property(tries = 500)
    void garbageHeadersAndValuesNeverThrow(
            @ForAll("headerSets") List<Map.Entry<String, byte[]>> headers, @ForAll byte[] value) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach(e -> h.add(e.getKey(), e.getValue()));
        DecodedEvent decoded = KafkaCloudEvents.decode("t", h, value);
        if (decoded instanceof DecodedEvent.Rejected r) {
            assertThat(r.message()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<TriggerEvent> triggers() {
        return ContractArbitraries.triggerEvents()
                .filter(t -> t.data() == null || t.data().length > 0)
                .filter(t -> t.subject() == null || !t.subject().isEmpty());
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> headerSets() {
        Arbitrary<String> names =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                "ce_specversion",
                                "ce_id",
                                "ce_type",
                                "ce_source",
                                "ce_time",
                                "ce_subject",
                                "ce_dataschema",
                                "content-type",
                                "ce_fxdepth"),
                        Arbitraries.strings().ofMaxLength(12).map(s -> "ce_" + s));
        Arbitrary<byte[]> values =
                Arbitraries.oneOf(
                        Arbitraries.of("1.0", "0.3", "", "urn:x", "application/cloudevents+json")
                                .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(20));
        return net.jqwik.api.Combinators.combine(names, values).as(Map::entry).list().ofMaxSize(8);
    }
}
