package io.fxflink.jobs.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.testing.ContractFixtures;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SerializersTest {

    @Test
    void triggerEventRoundTripsIncludingNullsOffsetsAndBinaryData() throws IOException {
        TriggerEvent full = ContractFixtures.triggerEvent("e-1").withExtension("fxrootid", "r");
        TriggerEvent minimal =
                new TriggerEvent("e-2", "urn:x", "t", null, null, null, null, null, Map.of());
        TriggerEvent binary =
                new TriggerEvent(
                        "e-3",
                        "urn:x",
                        "t",
                        "",
                        null,
                        "application/octet-stream",
                        "urn:schema",
                        new byte[] {0, (byte) 0xff, 10},
                        Map.of());
        for (TriggerEvent e : new TriggerEvent[] {full, minimal, binary}) {
            assertThat(roundTrip(FxTypes.TRIGGER_EVENT, e)).isEqualTo(e);
        }
    }

    @Test
    void consumedEventRoundTripsWithItsPositionAndKey() throws IOException {
        TriggerEvent event = ContractFixtures.triggerEvent("e-1");
        ConsumedEvent keyed = new ConsumedEvent("fx.events", 3, 42L, new byte[] {7, 0}, event);
        ConsumedEvent unkeyed = new ConsumedEvent("fx.events", 0, 0L, null, event);
        for (ConsumedEvent e : new ConsumedEvent[] {keyed, unkeyed}) {
            assertThat(roundTrip(FxTypes.CONSUMED_EVENT, e)).isEqualTo(e);
        }
        assertSnapshotRestores(FxTypes.CONSUMED_EVENT.createSerializer(new SerializerConfigImpl()));
    }

    @Test
    void linkTopicRecordsRoundTripInWireForm() throws IOException {
        LinkTopicRecord upsert = LinkTopicRecord.upsert(ContractFixtures.weightedLink("l"));
        LinkTopicRecord service = LinkTopicRecord.upsert(ContractFixtures.serviceConfig("s"));
        LinkTopicRecord delete = LinkTopicRecord.delete(LinkTopicKey.service("s"));
        for (LinkTopicRecord r : new LinkTopicRecord[] {upsert, service, delete}) {
            assertThat(roundTrip(FxTypes.LINK_TOPIC_RECORD, r)).isEqualTo(r);
        }
    }

    @Test
    void jsonBackedTypesRoundTrip() throws IOException {
        assertThat(roundTrip(FxTypes.LINK, ContractFixtures.link("l")))
                .isEqualTo(ContractFixtures.link("l"));
        assertThat(roundTrip(FxTypes.EXECUTION_REQUEST, ContractFixtures.executionRequest("e")))
                .isEqualTo(ContractFixtures.executionRequest("e"));
        var lifecycle = ContractFixtures.lifecycle("x", ExecutionStatus.STARTED, 1);
        assertThat(roundTrip(FxTypes.EXECUTION_LIFECYCLE, lifecycle)).isEqualTo(lifecycle);
        var dl = ContractFixtures.deadLetter("t", 1);
        assertThat(roundTrip(FxTypes.DEAD_LETTER, dl)).isEqualTo(dl);
    }

    @Test
    void snapshotsRestoreAnEqualAndCompatibleSerializer() throws IOException {
        for (TypeInformation<?> type :
                new TypeInformation<?>[] {
                    FxTypes.TRIGGER_EVENT, FxTypes.LINK_TOPIC_RECORD, FxTypes.LINK, FxTypes.OPS_LOG
                }) {
            assertSnapshotRestores(type.createSerializer(new SerializerConfigImpl()));
        }
    }

    private static <T> void assertSnapshotRestores(TypeSerializer<T> serializer)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        TypeSerializerSnapshot<T> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        in, SerializersTest.class.getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAsIs())
                .isTrue();
    }

    private static <T> T roundTrip(TypeInformation<T> type, T value) throws IOException {
        TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        // copy(in, out) must produce the same bytes
        DataOutputSerializer copy = new DataOutputSerializer(256);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copy);
        assertThat(copy.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
