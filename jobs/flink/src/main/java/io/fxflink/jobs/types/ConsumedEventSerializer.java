package io.fxflink.jobs.types;

import io.fxflink.contracts.execution.TriggerEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Binary serializer of {@link ConsumedEvent}: the record's position and key, then the event in the
 * {@link TriggerEventSerializer} layout. Hot type (every event of the router passes through it
 * between the source and the keyed routing). Changing the layout needs a new snapshot version.
 */
public final class ConsumedEventSerializer extends TypeSerializerSingleton<ConsumedEvent> {
    public static final ConsumedEventSerializer INSTANCE = new ConsumedEventSerializer();
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ConsumedEvent createInstance() {
        return null;
    }

    @Override
    public ConsumedEvent copy(ConsumedEvent from) {
        return from;
    }

    @Override
    public ConsumedEvent copy(ConsumedEvent from, ConsumedEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ConsumedEvent e, DataOutputView out) throws IOException {
        StringValue.writeString(e.topic(), out);
        out.writeInt(e.partition());
        out.writeLong(e.offset());
        if (e.key() == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(e.key().length);
            out.write(e.key());
        }
        TriggerEventSerializer.INSTANCE.serialize(e.event(), out);
    }

    @Override
    public ConsumedEvent deserialize(DataInputView in) throws IOException {
        String topic = StringValue.readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        int keyLength = in.readInt();
        byte[] key = null;
        if (keyLength >= 0) {
            key = new byte[keyLength];
            in.readFully(key);
        }
        TriggerEvent event = TriggerEventSerializer.INSTANCE.deserialize(in);
        return new ConsumedEvent(topic, partition, offset, key, event);
    }

    @Override
    public ConsumedEvent deserialize(ConsumedEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ConsumedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the (stateless) serializer; needs a public no-arg constructor. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ConsumedEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
