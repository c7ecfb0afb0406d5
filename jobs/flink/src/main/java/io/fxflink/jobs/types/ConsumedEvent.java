package io.fxflink.jobs.types;

import io.fxflink.contracts.execution.TriggerEvent;
import java.util.Objects;

/**
 * A decoded CloudEvent together with where it was read (topic, partition, offset, record key), so a
 * later stage can still point a dead letter at the original record and keep its key.
 *
 * @param key the Kafka record key; may be null
 */
public record ConsumedEvent(
        String topic, int partition, long offset, byte[] key, TriggerEvent event) {

    public ConsumedEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(event, "event");
    }

    /** Key of per-event state: CloudEvents ids are unique per source only. */
    public String sourceAndId() {
        return event.source() + '\n' + event.id();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumedEvent other
                && other.topic.equals(topic)
                && other.partition == partition
                && other.offset == offset
                && java.util.Arrays.equals(other.key, key)
                && other.event.equals(event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, event);
    }

    @Override
    public String toString() {
        return "ConsumedEvent["
                + topic
                + "/"
                + partition
                + "/"
                + offset
                + " id="
                + event.id()
                + " type="
                + event.type()
                + "]";
    }
}
