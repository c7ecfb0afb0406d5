package io.fxflink.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.testing.ContractFixtures;
import io.fxflink.jobs.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ContractSerializationSchemaTest {

    @Test
    void executionRequestIsKeyedByServiceAndEncodedAsJson() {
        ContractSerializationSchema<ExecutionRequest> schema =
                new ContractSerializationSchema<>(
                        "fx.executions", Codecs.EXECUTION_REQUEST, ExecutionRequest::partitionKey);
        ExecutionRequest request = ContractFixtures.executionRequest("e-1");

        ProducerRecord<byte[], byte[]> record = schema.serialize(request, null, 5L);

        assertThat(record.topic()).isEqualTo("fx.executions");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("billing");
        assertThat(record.timestamp()).isEqualTo(5L);
        assertThat(Codecs.EXECUTION_REQUEST.decode(record.value())).isEqualTo(request);
    }

    @Test
    void deadLetterIsKeyedByRecordIdSoReplaysOverwrite() {
        DeadLetterRecord dl = ContractFixtures.deadLetter("fx.events", 9);
        ProducerRecord<byte[], byte[]> record =
                DeadLetters.serializationSchema("fx.deadletter").serialize(dl, null, null);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("fx.events/0/9");
        assertThat(Codecs.DEAD_LETTER.decode(record.value())).isEqualTo(dl);
    }
}
