package io.fxflink.jobs.kafka;

import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.serde.InvalidRecordException;
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
 * Reads the compacted links topic: upserts of links/services and deletes (tombstones). A record
 * that does not decode becomes a dead letter; the router keeps its last good configuration.
 */
public final class LinkTopicDeserializationSchema
        implements KafkaRecordDeserializationSchema<Either<DeadLetterRecord, LinkTopicRecord>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LinkTopicDeserializationSchema.class);

    private final DeadLetterStage stage;

    public LinkTopicDeserializationSchema(DeadLetterStage stage) {
        this.stage = stage;
    }

    public LinkTopicDeserializationSchema() {
        this(DeadLetterStage.ROUTER);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record,
            Collector<Either<DeadLetterRecord, LinkTopicRecord>> out) {
        try {
            out.collect(Either.Right(LinkTopicCodec.decode(record.key(), record.value())));
        } catch (InvalidRecordException e) {
            LOG.warn(
                    "Dead-lettering link record {}/{}/{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            out.collect(Either.Left(DeadLetters.of(stage, e.getMessage(), record)));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetterRecord, LinkTopicRecord>> getProducedType() {
        return FxTypes.orDeadLetter(FxTypes.LINK_TOPIC_RECORD);
    }
}
