package io.fxflink.jobs.kafka;

import io.fxflink.contracts.cloudevents.CloudEventDecoder;
import io.fxflink.contracts.cloudevents.DecodedEvent;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.jobs.types.FxTypes;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the events topic with the CloudEvents SDK (binary and structured mode) into {@link
 * TriggerEvent}s; data bytes are passed through unparsed. Non-CloudEvents become dead letters.
 */
public final class CloudEventDeserializationSchema
        implements KafkaRecordDeserializationSchema<Either<DeadLetterRecord, TriggerEvent>> {
    private static final long serialVersionUID = 1L;

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
            out.collect(
                    Either.Left(
                            RejectedEvents.deadLetter(
                                    stage, (DecodedEvent.Rejected) decoded, record)));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetterRecord, TriggerEvent>> getProducedType() {
        return FxTypes.orDeadLetter(FxTypes.TRIGGER_EVENT);
    }
}
