package io.fxflink.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.testing.ContractFixtures;
import io.fxflink.jobs.testing.FlinkFixtures;
import io.fxflink.jobs.testing.FlinkFixtures.ListCollector;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.jobs.types.FxTypes;
import java.nio.charset.StandardCharsets;
import org.apache.flink.types.Either;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeserializationSchemasTest {

    @Test
    void linkUpsertAndTombstoneAreDecoded() {
        LinkTopicDeserializationSchema schema = new LinkTopicDeserializationSchema();
        ListCollector<Either<DeadLetterRecord, LinkTopicRecord>> out = new ListCollector<>();
        LinkTopicRecord upsert = LinkTopicRecord.upsert(ContractFixtures.link("l-1"));
        LinkTopicRecord delete = LinkTopicRecord.delete(LinkTopicKey.link("l-1"));

        schema.deserialize(FlinkFixtures.linkRecord("fx.links", 0, upsert), out);
        schema.deserialize(FlinkFixtures.linkRecord("fx.links", 1, delete), out);

        assertThat(out.items()).extracting(Either::right).containsExactly(upsert, delete);
    }

    @Test
    void undecodableLinkRecordBecomesADeadLetterWithTheOriginalBytes() {
        LinkTopicDeserializationSchema schema = new LinkTopicDeserializationSchema();
        ListCollector<Either<DeadLetterRecord, LinkTopicRecord>> out = new ListCollector<>();

        schema.deserialize(
                FlinkFixtures.consumerRecord("fx.links", 42, "link:l-1", "{\"schemaVersion\":1,"),
                out);

        DeadLetterRecord dl = out.single().left();
        assertThat(dl.stage()).isEqualTo(DeadLetterStage.ROUTER);
        assertThat(dl.reason()).startsWith("invalid Link: malformed JSON");
        assertThat(dl.recordId()).isEqualTo("fx.links/0/42");
        assertThat(dl.offset()).isEqualTo(42);
        assertThat(new String(dl.originalKey(), StandardCharsets.UTF_8)).isEqualTo("link:l-1");
        assertThat(new String(dl.originalValue(), StandardCharsets.UTF_8))
                .isEqualTo("{\"schemaVersion\":1,");
    }

    @Test
    void binaryCloudEventBecomesATriggerEventWithUntouchedData() {
        var schema = new ConsumedCloudEventDeserializationSchema(DeadLetterStage.ROUTER, 1 << 20);
        ListCollector<Either<DeadLetterRecord, ConsumedEvent>> out = new ListCollector<>();
        var record =
                FlinkFixtures.eventRecord(
                        "fx.events", 3, ContractFixtures.cloudEvent("e-1", "com.example.x"));

        schema.deserialize(record, out);

        TriggerEvent trigger = out.single().right().event();
        assertThat(trigger.id()).isEqualTo("e-1");
        assertThat(trigger.data()).isSameAs(record.value());
    }

    @Test
    void recordWithoutCeIdBecomesADeadLetterNamingTheHeader() {
        var schema = new ConsumedCloudEventDeserializationSchema(DeadLetterStage.ROUTER, 1 << 20);
        ListCollector<Either<DeadLetterRecord, ConsumedEvent>> out = new ListCollector<>();
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "t".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "urn:x".getBytes(StandardCharsets.UTF_8));

        schema.deserialize(
                FlinkFixtures.consumerRecord("fx.events", 7, null, new byte[] {1}, headers), out);

        DeadLetterRecord dl = out.single().left();
        assertThat(dl.reason()).isEqualTo("MISSING_ATTRIBUTE: missing required header ce_id");
        assertThat(dl.originalHeaders()).containsKey("ce_type");
        assertThat(dl.originalValue()).containsExactly(1);
    }

    @Test
    void consumedCloudEventKeepsTheRecordPositionAndKey() {
        var schema = new ConsumedCloudEventDeserializationSchema(DeadLetterStage.ROUTER, 1 << 20);
        ListCollector<Either<DeadLetterRecord, ConsumedEvent>> out = new ListCollector<>();
        var record =
                FlinkFixtures.eventRecord(
                        "fx.events", 5, ContractFixtures.cloudEvent("e-9", "com.example.x"));

        schema.deserialize(record, out);

        ConsumedEvent consumed = out.single().right();
        assertThat(consumed.topic()).isEqualTo("fx.events");
        assertThat(consumed.offset()).isEqualTo(5);
        assertThat(consumed.key()).isEqualTo(record.key());
        assertThat(consumed.event().id()).isEqualTo("e-9");
        assertThat(consumed.event().data()).isSameAs(record.value());
    }

    @Test
    void consumedCloudEventSchemaDeadLettersGarbageAndOversizeRecords() {
        var schema = new ConsumedCloudEventDeserializationSchema(DeadLetterStage.ROUTER, 1024);
        ListCollector<Either<DeadLetterRecord, ConsumedEvent>> out = new ListCollector<>();
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));

        schema.deserialize(
                FlinkFixtures.consumerRecord("fx.events", 1, null, new byte[] {1}, headers), out);
        schema.deserialize(
                FlinkFixtures.consumerRecord("fx.events", 2, null, new byte[4096], headers), out);
        schema.deserialize(FlinkFixtures.consumerRecord("fx.events", 3, null, null, null), out);

        assertThat(out.items()).allMatch(Either::isLeft);
        assertThat(out.items())
                .extracting(e -> e.left().recordId())
                .containsExactly("fx.events/0/1", "fx.events/0/2", "fx.events/0/3");
        assertThat(out.items().get(0).left().originalValue()).containsExactly(1);
        assertThat(out.items()).allMatch(e -> !e.left().reason().isBlank());
    }

    @Test
    void contractRecordIsDecodedAndGarbageIsDeadLettered() {
        ContractDeserializationSchema<OpsLogRecord> schema =
                new ContractDeserializationSchema<>(
                        OpsLogRecord.class, FxTypes.OPS_LOG, DeadLetterStage.OPS_SINK);
        ListCollector<Either<DeadLetterRecord, OpsLogRecord>> out = new ListCollector<>();
        OpsLogRecord log = ContractFixtures.opsLog("x1", 1);

        schema.deserialize(
                FlinkFixtures.consumerRecord(
                        "fx.ops.logs", 0, null, Codecs.OPS_LOG.encode(log), null),
                out);
        schema.deserialize(
                FlinkFixtures.consumerRecord(
                        "fx.ops.logs", 1, null, new byte[] {(byte) 0xff}, null),
                out);
        schema.deserialize(FlinkFixtures.consumerRecord("fx.ops.logs", 2, null, null, null), out);

        assertThat(out.items().get(0).right()).isEqualTo(log);
        assertThat(out.items().get(1).left().reason())
                .isEqualTo("invalid OpsLogRecord: input is not valid UTF-8");
        assertThat(out.items().get(2).left().reason())
                .isEqualTo("invalid OpsLogRecord: no value (null)");
        assertThat(out.items().get(2).left().stage()).isEqualTo(DeadLetterStage.OPS_SINK);
    }
}
