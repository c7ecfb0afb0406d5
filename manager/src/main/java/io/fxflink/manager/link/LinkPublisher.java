package io.fxflink.manager.link;

import java.util.List;

/** Publishes outbox rows to the links topic; returns only once all are acknowledged. */
public interface LinkPublisher extends AutoCloseable {
    /** One record: key and value (null value = tombstone). */
    record Message(String key, byte[] value) {}

    /** Sends all in order and waits for the broker's acknowledgement; throws on any failure. */
    void publish(List<Message> messages) throws Exception;

    @Override
    default void close() {}
}
