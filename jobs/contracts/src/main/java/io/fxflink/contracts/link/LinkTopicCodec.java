package io.fxflink.contracts.link;

import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.contracts.serde.JsonCodec;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Key + value codec of the compacted links topic. Value JSON carries {@code kind} ("link" or
 * "service") and must agree with the key; a null value is a tombstone (delete).
 */
public final class LinkTopicCodec {
    private LinkTopicCodec() {}

    public static LinkTopicRecord decode(byte[] key, byte[] value) {
        LinkTopicKey k = LinkTopicKey.parse(key);
        if (value == null) {
            return new LinkTopicRecord.Delete(k);
        }
        LinkTopicValue v =
                switch (k.kind()) {
                    case LINK -> Codecs.LINK.decode(value);
                    case SERVICE -> Codecs.SERVICE_CONFIG.decode(value);
                };
        if (!v.key().equals(k)) {
            throw new InvalidRecordException(
                    "LinkTopicRecord", "key " + k + " does not match the value's id " + v.key());
        }
        return new LinkTopicRecord.Upsert(v);
    }

    public static byte[] encodeKey(LinkTopicRecord record) {
        return record.key().toBytes();
    }

    /** JSON value, or null for a delete (tombstone). */
    public static byte[] encodeValue(LinkTopicRecord record) {
        if (record instanceof LinkTopicRecord.Upsert upsert) {
            return encodeValue(upsert.value());
        }
        return null;
    }

    public static byte[] encodeValue(LinkTopicValue value) {
        if (value instanceof Link link) {
            return Codecs.LINK.encode(link);
        }
        return Codecs.SERVICE_CONFIG.encode((ServiceConfig) value);
    }

    public static ProducerRecord<byte[], byte[]> toProducerRecord(
            String topic, LinkTopicRecord record) {
        return new ProducerRecord<>(topic, encodeKey(record), encodeValue(record));
    }

    /** The codec of one kind, e.g. for a REST API that reads the same JSON. */
    public static JsonCodec<?> valueCodec(LinkTopicKey.Kind kind) {
        return kind == LinkTopicKey.Kind.LINK ? Codecs.LINK : Codecs.SERVICE_CONFIG;
    }
}
