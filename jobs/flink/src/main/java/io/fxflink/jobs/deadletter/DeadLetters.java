package io.fxflink.jobs.deadletter;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.jobs.kafka.ContractSerializationSchema;
import io.fxflink.jobs.types.FxTypes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Either;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The dead-letter side output shared by all jobs, and how dead letters are made and written. */
public final class DeadLetters {
    /** Side output for anything that could not be decoded, routed or written. */
    public static final OutputTag<DeadLetterRecord> TAG =
            new OutputTag<>("fx-dead-letters", FxTypes.DEAD_LETTER);

    private DeadLetters() {}

    /** Dead letter of a consumed record, with its coordinates, key, value and headers. */
    public static DeadLetterRecord of(
            DeadLetterStage stage, String reason, ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? new byte[0] : h.value());
        }
        return DeadLetterRecord.ofConsumed(
                stage,
                reason,
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.now(),
                record.key(),
                record.value(),
                headers);
    }

    /** Writes dead letters as JSON keyed by record id (replays overwrite, not duplicate). */
    public static KafkaRecordSerializationSchema<DeadLetterRecord> serializationSchema(
            String topic) {
        return new ContractSerializationSchema<>(
                topic, Codecs.DEAD_LETTER, DeadLetterRecord::recordId);
    }

    /**
     * Splits decoded values from dead letters: values continue, dead letters go to {@link #TAG}
     * (read them with {@code getSideOutput(DeadLetters.TAG)}).
     */
    public static <T> SingleOutputStreamOperator<T> split(
            DataStream<Either<DeadLetterRecord, T>> decoded,
            TypeInformation<T> valueType,
            String uid) {
        return decoded.process(new SplitDeadLetters<T>(), valueType)
                .uid(uid)
                .name("Split dead letters");
    }
}
