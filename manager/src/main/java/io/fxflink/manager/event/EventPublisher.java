package io.fxflink.manager.event;

import io.cloudevents.CloudEvent;
import java.util.List;

/** Publishes CloudEvents to the events topic; returns once the broker acknowledged all of them. */
public interface EventPublisher extends AutoCloseable {
    void publish(List<CloudEvent> events) throws Exception;

    /** Throws when the broker cannot be reached (health check). */
    void check() throws Exception;

    @Override
    default void close() {}
}
