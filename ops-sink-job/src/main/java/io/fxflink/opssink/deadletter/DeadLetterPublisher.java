package io.fxflink.opssink.deadletter;

import io.fxflink.contracts.ops.DeadLetterRecord;
import java.io.Serializable;
import java.util.List;

/**
 * Publishes dead letters from inside a sink writer (a sink has no side output). {@link #publish}
 * returns only once the records are stored, so the writer can acknowledge its request afterwards: a
 * rejected document is never dropped without its dead letter.
 */
public interface DeadLetterPublisher extends AutoCloseable {

    /** Blocks until every record is acknowledged; throws if any could not be stored. */
    void publish(List<DeadLetterRecord> records);

    @Override
    void close();

    /** Opens one publisher per sink writer on the task manager. */
    interface Factory extends Serializable {
        DeadLetterPublisher open();
    }
}
