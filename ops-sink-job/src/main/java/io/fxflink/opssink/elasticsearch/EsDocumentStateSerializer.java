package io.fxflink.opssink.elasticsearch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Checkpoints the documents buffered in the sink writer. Version 1 writes, per entry: a format
 * byte, index, id, origin topic (empty = none), partition, offset, source length and bytes. A new
 * layout gets a new format byte and version; old checkpoints stay readable.
 */
public final class EsDocumentStateSerializer extends AsyncSinkWriterStateSerializer<EsDocument> {
    static final int VERSION = 1;
    private static final byte FORMAT_V1 = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    protected void serializeRequestToStream(EsDocument d, DataOutputStream out) throws IOException {
        out.writeByte(FORMAT_V1);
        out.writeUTF(d.index);
        out.writeUTF(d.id);
        out.writeUTF(d.originTopic == null ? "" : d.originTopic);
        out.writeInt(d.originPartition);
        out.writeLong(d.originOffset);
        out.writeInt(d.source.length);
        out.write(d.source);
    }

    @Override
    protected EsDocument deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        byte format = in.readByte();
        if (format != FORMAT_V1) {
            throw new IOException(
                    "unknown buffered Elasticsearch document format "
                            + format
                            + " (this job reads format "
                            + FORMAT_V1
                            + ")");
        }
        String index = in.readUTF();
        String id = in.readUTF();
        String topic = in.readUTF();
        int partition = in.readInt();
        long offset = in.readLong();
        int length = in.readInt();
        if (length < 0 || length > requestSize) {
            throw new IOException("corrupt buffered document " + id + ": source length " + length);
        }
        byte[] source = new byte[length];
        in.readFully(source);
        return new EsDocument(index, id, source, topic.isEmpty() ? null : topic, partition, offset);
    }
}
