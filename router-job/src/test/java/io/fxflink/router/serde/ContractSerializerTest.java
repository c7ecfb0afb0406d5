package io.fxflink.router.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.router.RouterTestData;
import io.fxflink.router.routing.LinkTable;
import io.fxflink.router.routing.Router;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ContractSerializerTest {
    @Test
    void requestRoundTripsAndSnapshotRestoresACompatibleSerializer() throws Exception {
        LinkTable table = new LinkTable();
        table.put(RouterTestData.service("s", 1, "1"));
        table.put(RouterTestData.exact("l1", 1, "t", "s", "1"));
        ExecutionRequest request =
                new Router(5)
                        .route(RouterTestData.event("e1", "t"), table, RouterTestData.T0)
                        .requests()
                        .get(0);
        TypeSerializer<ExecutionRequest> serializer =
                ContractTypeInfo.of(ExecutionRequest.class)
                        .createSerializer(new SerializerConfigImpl());

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(request, out);
        ExecutionRequest back =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).usingRecursiveComparison().isEqualTo(request);

        DataOutputSerializer snap = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snap, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<ExecutionRequest> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(snap.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    }
}
