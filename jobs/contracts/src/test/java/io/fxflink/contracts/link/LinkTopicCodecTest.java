package io.fxflink.contracts.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.contracts.testing.ContractFixtures;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class LinkTopicCodecTest {

    @Test
    void linkUpsertRoundTripsThroughKeyAndValue() {
        LinkTopicRecord upsert = LinkTopicRecord.upsert(ContractFixtures.weightedLink("l-9"));
        ProducerRecord<byte[], byte[]> pr = LinkTopicCodec.toProducerRecord("fx.links", upsert);
        assertThat(new String(pr.key(), StandardCharsets.UTF_8)).isEqualTo("link:l-9");
        assertThat(LinkTopicCodec.decode(pr.key(), pr.value())).isEqualTo(upsert);
    }

    @Test
    void serviceUpsertRoundTripsThroughKeyAndValue() {
        LinkTopicRecord upsert = LinkTopicRecord.upsert(ContractFixtures.serviceConfig("billing"));
        byte[] key = LinkTopicCodec.encodeKey(upsert);
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("service:billing");
        assertThat(LinkTopicCodec.decode(key, LinkTopicCodec.encodeValue(upsert)))
                .isEqualTo(upsert);
    }

    @Test
    void tombstoneDecodesAsDeleteOfTheKey() {
        assertThat(LinkTopicCodec.decode("link:l-1".getBytes(StandardCharsets.UTF_8), null))
                .isEqualTo(LinkTopicRecord.delete(LinkTopicKey.link("l-1")));
        assertThat(LinkTopicCodec.decode("service:s".getBytes(StandardCharsets.UTF_8), null))
                .isEqualTo(LinkTopicRecord.delete(LinkTopicKey.service("s")));
        assertThat(LinkTopicCodec.encodeValue(LinkTopicRecord.delete(LinkTopicKey.link("x"))))
                .isNull();
    }

    @Test
    void keyThatDisagreesWithTheValueIsRejected() {
        byte[] value = Codecs.LINK.encode(ContractFixtures.link("l-1"));
        assertThatThrownBy(
                        () ->
                                LinkTopicCodec.decode(
                                        "link:other".getBytes(StandardCharsets.UTF_8), value))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage(
                        "invalid LinkTopicRecord: key link:other does not match the value's id"
                                + " link:l-1");
        // a service value under a link key fails on the kind discriminator
        byte[] service = Codecs.SERVICE_CONFIG.encode(ContractFixtures.serviceConfig("l-1"));
        assertThatThrownBy(
                        () ->
                                LinkTopicCodec.decode(
                                        "link:l-1".getBytes(StandardCharsets.UTF_8), service))
                .hasMessageContaining("field 'kind' must be \"link\"");
    }

    @Test
    void unknownOrMissingKeyIsRejected() {
        assertThatThrownBy(() -> LinkTopicCodec.decode(null, null))
                .hasMessage("invalid LinkTopicKey: no key (null)");
        assertThatThrownBy(
                        () ->
                                LinkTopicCodec.decode(
                                        "route:x".getBytes(StandardCharsets.UTF_8), null))
                .hasMessage(
                        "invalid LinkTopicKey: key must start with 'link:' or 'service:', was"
                                + " 'route:x'");
        assertThatThrownBy(
                        () -> LinkTopicCodec.decode("link:".getBytes(StandardCharsets.UTF_8), null))
                .hasMessage("invalid LinkTopicKey: field 'id' must not be blank");
        assertThatThrownBy(() -> LinkTopicCodec.decode(new byte[10_000], null))
                .hasMessageStartingWith("invalid LinkTopicKey: key is too long");
    }
}
