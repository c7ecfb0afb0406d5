package io.fxflink.executor.dispatch;

import io.fxflink.contracts.execution.ExecutionRequest;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Runs one attempt of an execution and makes its outcome durable ({@link ExecutionRunner}). */
public interface ExecutionAttempts {
    /** What the consumer does next with the request. */
    sealed interface Decision {
        record Done() implements Decision {}

        record RetryAt(Instant notBefore, int attempt) implements Decision {}
    }

    /**
     * @param retryAttempt 0 for a request just taken from Kafka, else the attempt a retry runs
     * @throws Exception when the outcome could not be made durable (the consumer tries again)
     */
    Decision run(ExecutionRequest req, ConsumerRecord<byte[], byte[]> record, int retryAttempt)
            throws Exception;
}
