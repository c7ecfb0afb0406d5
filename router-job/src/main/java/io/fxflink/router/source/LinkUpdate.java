package io.fxflink.router.source;

import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.LinkTopicValue;
import io.fxflink.contracts.serde.Codecs;

/**
 * One record of the links topic: an upsert (validated JSON of a link or service configuration) or a
 * delete, or, when {@link #rejectReason} is set, a record that could not be decoded.
 *
 * <p>A Flink POJO: the value travels as its (already validated) JSON bytes, and each router task
 * decodes and compiles it once when it applies the update.
 */
public class LinkUpdate {
    /** {@code link:<id>} or {@code service:<name>}; null when the key itself was unreadable. */
    public String key;

    /** Config version of an upsert; 0 for a delete. */
    public long version;

    /** Validated JSON value; null for a delete (tombstone). */
    public byte[] json;

    public String topic;
    public int partition;
    public long offset;

    // rejected record (null when valid)
    public String rejectReason;
    public byte[] rawKey;
    public byte[] rawValue;

    public LinkUpdate() {}

    public static LinkUpdate of(LinkTopicRecord record, String topic, int partition, long offset) {
        LinkUpdate u = new LinkUpdate();
        u.key = record.key().asString();
        u.topic = topic;
        u.partition = partition;
        u.offset = offset;
        if (record instanceof LinkTopicRecord.Upsert upsert) {
            u.version = upsert.value().version();
            u.json = encode(upsert.value());
        }
        return u;
    }

    public static LinkUpdate rejected(
            String topic, int partition, long offset, byte[] key, byte[] value, String reason) {
        LinkUpdate u = new LinkUpdate();
        u.topic = topic;
        u.partition = partition;
        u.offset = offset;
        u.rawKey = key;
        u.rawValue = value;
        u.rejectReason = reason;
        return u;
    }

    /** Only the position of a record that was dead-lettered: applies nothing. */
    public static LinkUpdate skipped(String topic, int partition, long offset) {
        LinkUpdate u = new LinkUpdate();
        u.topic = topic;
        u.partition = partition;
        u.offset = offset;
        u.rejectReason = "skipped";
        return u;
    }

    private static byte[] encode(LinkTopicValue value) {
        return io.fxflink.contracts.link.LinkTopicCodec.encodeValue(value);
    }

    public boolean isRejected() {
        return rejectReason != null;
    }

    public boolean isDelete() {
        return json == null;
    }

    public boolean isService() {
        return key != null && key.startsWith(LinkTopicKey.Kind.SERVICE.wire() + ":");
    }

    /** The id part of the key (link id or service name). */
    public String id() {
        return LinkTopicKey.parse(key).id();
    }

    /** The decoded value of an upsert. */
    public LinkTopicValue value() {
        LinkTopicKey k = LinkTopicKey.parse(key);
        return k.kind() == LinkTopicKey.Kind.LINK
                ? Codecs.LINK.decode(json)
                : Codecs.SERVICE_CONFIG.decode(json);
    }

    @Override
    public String toString() {
        return isRejected()
                ? "LinkUpdate[rejected "
                        + topic
                        + "/"
                        + partition
                        + "/"
                        + offset
                        + ": "
                        + rejectReason
                        + "]"
                : "LinkUpdate[" + key + (isDelete() ? " deleted" : " v" + version) + "]";
    }
}
