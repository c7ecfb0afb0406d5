package io.fxflink.jobs.types;

import io.fxflink.contracts.execution.TriggerEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Binary serializer of the router's hot type: every event passes through it, so no JSON and no
 * Kryo. The data bytes are written as they are. Changing the layout needs a new snapshot version.
 */
public final class TriggerEventSerializer extends TypeSerializerSingleton<TriggerEvent> {
    public static final TriggerEventSerializer INSTANCE = new TriggerEventSerializer();
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TriggerEvent createInstance() {
        return null;
    }

    @Override
    public TriggerEvent copy(TriggerEvent from) {
        return from;
    }

    @Override
    public TriggerEvent copy(TriggerEvent from, TriggerEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TriggerEvent e, DataOutputView out) throws IOException {
        StringValue.writeString(e.id(), out);
        StringValue.writeString(e.source(), out);
        StringValue.writeString(e.type(), out);
        StringValue.writeString(e.subject(), out); // writeString handles null
        if (e.time() == null) {
            out.writeBoolean(false);
        } else {
            out.writeBoolean(true);
            out.writeLong(e.time().toEpochSecond());
            out.writeInt(e.time().getNano());
            out.writeInt(e.time().getOffset().getTotalSeconds());
        }
        StringValue.writeString(e.datacontenttype(), out);
        StringValue.writeString(e.dataschema(), out);
        if (e.data() == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(e.data().length);
            out.write(e.data());
        }
        out.writeInt(e.extensions().size());
        for (Map.Entry<String, String> x : e.extensions().entrySet()) {
            StringValue.writeString(x.getKey(), out);
            StringValue.writeString(x.getValue(), out);
        }
    }

    @Override
    public TriggerEvent deserialize(DataInputView in) throws IOException {
        String id = StringValue.readString(in);
        String source = StringValue.readString(in);
        String type = StringValue.readString(in);
        String subject = StringValue.readString(in);
        OffsetDateTime time = null;
        if (in.readBoolean()) {
            long seconds = in.readLong();
            int nanos = in.readInt();
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readInt());
            time = Instant.ofEpochSecond(seconds, nanos).atOffset(offset);
        }
        String contentType = StringValue.readString(in);
        String dataSchema = StringValue.readString(in);
        int length = in.readInt();
        byte[] data = null;
        if (length >= 0) {
            data = new byte[length];
            in.readFully(data);
        }
        int n = in.readInt();
        Map<String, String> ext = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            ext.put(StringValue.readString(in), StringValue.readString(in));
        }
        return new TriggerEvent(
                id, source, type, subject, time, contentType, dataSchema, data, ext);
    }

    @Override
    public TriggerEvent deserialize(TriggerEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<TriggerEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the (stateless) serializer; needs a public no-arg constructor. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TriggerEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
