package io.fxflink.jobs.kafka;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.contracts.serde.JsonCodec;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.types.FxTypes;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic of one contract record type (execution requests, ops logs, lifecycle records,
 * metrics). Undecodable records become dead letters instead of failing the job.
 */
public final class ContractDeserializationSchema<T>
        implements KafkaRecordDeserializationSchema<Either<DeadLetterRecord, T>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ContractDeserializationSchema.class);

    private final Class<T> type;
    private final TypeInformation<T> typeInfo;
    private final DeadLetterStage stage;
    private transient JsonCodec<T> codec;

    /**
     * @param typeInfo from {@link io.fxflink.jobs.types.FxTypes}
     * @param stage written into dead letters (e.g. ops-sink)
     */
    public ContractDeserializationSchema(
            Class<T> type, TypeInformation<T> typeInfo, DeadLetterStage stage) {
        this.type = type;
        this.typeInfo = typeInfo;
        this.stage = stage;
        Codecs.forType(type); // fail at job build time, not at the first record
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetterRecord, T>> out) {
        if (codec == null) {
            codec = Codecs.forType(type);
        }
        try {
            out.collect(Either.Right(codec.decode(record.value())));
        } catch (InvalidRecordException e) {
            LOG.warn(
                    "Dead-lettering {}/{}/{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            out.collect(Either.Left(DeadLetters.of(stage, e.getMessage(), record)));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetterRecord, T>> getProducedType() {
        return FxTypes.orDeadLetter(typeInfo);
    }
}
