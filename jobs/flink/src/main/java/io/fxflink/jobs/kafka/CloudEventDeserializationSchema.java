package io.fxflink.jobs.kafka;

import io.fxflink.contracts.cloudevents.CloudEventDecoder;
import io.fxflink.contracts.cloudevents.DecodedEvent;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
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
 * Reads the events topic with the CloudEvents SDK (binary and structured mode) into {@link
 * TriggerEvent}s; data bytes are passed through unparsed. Non-CloudEvents become dead letters.
 */
public final class CloudEventDeserializationSchema
        implements KafkaRecordDeserializationSchema<Either<DeadLetterRecord, TriggerEvent>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG =
            LoggerFactory.getLogger(CloudEventDeserializationSchema.class);

    private final DeadLetterStage stage;
    private final int maxValueBytes;
    private transient CloudEventDecoder decoder;

    public CloudEventDeserializationSchema(DeadLetterStage stage, int maxValueBytes) {
        this.stage = stage;
        this.maxValueBytes = maxValueBytes;
    }

    public CloudEventDeserializationSchema() {
        this(DeadLetterStage.ROUTER, CloudEventDecoder.DEFAULT_MAX_VALUE_BYTES);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record,
            Collector<Either<DeadLetterRecord, TriggerEvent>> out) {
        if (decoder == null) {
            decoder = new CloudEventDecoder(maxValueBytes);
        }
        DecodedEvent decoded = decoder.decode(record);
        if (decoded instanceof DecodedEvent.Ok ok) {
            out.collect(Either.Right(ok.trigger()));
        } else {
            DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
            String reason = rejected.problem() + ": " + rejected.message();
            LOG.warn(
                    "Dead-lettering event {}/{}/{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason);
            out.collect(Either.Left(DeadLetters.of(stage, reason, record)));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetterRecord, TriggerEvent>> getProducedType() {
        return FxTypes.orDeadLetter(FxTypes.TRIGGER_EVENT);
    }
}
