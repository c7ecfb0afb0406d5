package io.fxflink.jobs.kafka;

import io.fxflink.contracts.cloudevents.CloudEventDecoder;
import io.fxflink.contracts.cloudevents.DecodedEvent;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.jobs.types.FxTypes;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the events topic with the CloudEvents SDK (binary and structured mode) into {@link
 * ConsumedEvent}s: the trigger event (data bytes passed through unparsed) and where it was read, so
 * later stages that dead-letter a decoded event still point at the original record (the router's
 * routing failures). Non-CloudEvents become dead letters.
 */
public final class ConsumedCloudEventDeserializationSchema
        implements KafkaRecordDeserializationSchema<Either<DeadLetterRecord, ConsumedEvent>> {
    private static final long serialVersionUID = 1L;

    private final DeadLetterStage stage;
    private final int maxValueBytes;
    private transient CloudEventDecoder decoder;

    public ConsumedCloudEventDeserializationSchema(DeadLetterStage stage, int maxValueBytes) {
        this.stage = stage;
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record,
            Collector<Either<DeadLetterRecord, ConsumedEvent>> out) {
        if (decoder == null) {
            decoder = new CloudEventDecoder(maxValueBytes);
        }
        DecodedEvent decoded = decoder.decode(record);
        if (decoded instanceof DecodedEvent.Ok ok) {
            out.collect(
                    Either.Right(
                            new ConsumedEvent(
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    record.key(),
                                    ok.trigger())));
        } else {
            out.collect(
                    Either.Left(
                            RejectedEvents.deadLetter(
                                    stage, (DecodedEvent.Rejected) decoded, record)));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetterRecord, ConsumedEvent>> getProducedType() {
        return FxTypes.orDeadLetter(FxTypes.CONSUMED_EVENT);
    }
}
