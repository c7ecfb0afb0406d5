package io.fxflink.router.sink;

import io.fxflink.contracts.execution.ExecutionRequest;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Execution requests to the executions topic: key = service name (one service's requests share a
 * partition), value = versioned JSON, header {@code fx-execution-id} for consumers that
 * de-duplicate before decoding.
 */
public final class ExecutionRequestSchema
        implements KafkaRecordSerializationSchema<ExecutionRequest> {
    private static final long serialVersionUID = 1L;
    public static final String EXECUTION_ID_HEADER = "fx-execution-id";

    private final String topic;

    public ExecutionRequestSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            ExecutionRequest request, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic,
                        null,
                        timestamp,
                        request.partitionKey().getBytes(StandardCharsets.UTF_8),
                        ExecutionRequestJson.encode(request));
        record.headers()
                .add(EXECUTION_ID_HEADER, request.executionId().getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
