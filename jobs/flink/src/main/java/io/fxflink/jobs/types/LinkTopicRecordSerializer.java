package io.fxflink.jobs.types;

import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Writes a links-topic record in its wire form: key bytes, then value bytes or -1 (delete). */
public final class LinkTopicRecordSerializer extends TypeSerializerSingleton<LinkTopicRecord> {
    public static final LinkTopicRecordSerializer INSTANCE = new LinkTopicRecordSerializer();
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public LinkTopicRecord createInstance() {
        return null;
    }

    @Override
    public LinkTopicRecord copy(LinkTopicRecord from) {
        return from;
    }

    @Override
    public LinkTopicRecord copy(LinkTopicRecord from, LinkTopicRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(LinkTopicRecord record, DataOutputView out) throws IOException {
        byte[] key = LinkTopicCodec.encodeKey(record);
        byte[] value = LinkTopicCodec.encodeValue(record);
        out.writeInt(key.length);
        out.write(key);
        out.writeInt(value == null ? -1 : value.length);
        if (value != null) {
            out.write(value);
        }
    }

    @Override
    public LinkTopicRecord deserialize(DataInputView in) throws IOException {
        byte[] key = new byte[in.readInt()];
        in.readFully(key);
        int length = in.readInt();
        byte[] value = null;
        if (length >= 0) {
            value = new byte[length];
            in.readFully(value);
        }
        return LinkTopicCodec.decode(key, value);
    }

    @Override
    public LinkTopicRecord deserialize(LinkTopicRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<LinkTopicRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LinkTopicRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
