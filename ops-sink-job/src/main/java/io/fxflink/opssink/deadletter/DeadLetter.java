package io.fxflink.opssink.deadletter;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.serde.Codecs;
import java.io.Serializable;
import java.util.Objects;

/**
 * An encoded {@link DeadLetterRecord} on its way to {@code fx.deadletter}: the record id (the Kafka
 * key, so consumers can drop replays) and the JSON value. Kept encoded so it travels through Flink
 * as a plain POJO.
 */
public final class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    public String recordId;
    public byte[] value;

    public DeadLetter() {}

    public DeadLetter(String recordId, byte[] value) {
        this.recordId = Objects.requireNonNull(recordId, "recordId");
        this.value = Objects.requireNonNull(value, "value");
    }

    public static DeadLetter of(DeadLetterRecord record) {
        return new DeadLetter(record.recordId(), Codecs.DEAD_LETTER.encode(record));
    }

    public DeadLetterRecord decode() {
        return Codecs.DEAD_LETTER.decode(value);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + recordId + ", " + value.length + " bytes]";
    }
}
