package io.fxflink.jobs.kafka;

import io.fxflink.contracts.cloudevents.DecodedEvent;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.jobs.deadletter.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one way an undecodable event becomes a dead letter, for every CloudEvent schema. */
final class RejectedEvents {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedEvents.class);

    private RejectedEvents() {}

    static DeadLetterRecord deadLetter(
            DeadLetterStage stage,
            DecodedEvent.Rejected rejected,
            ConsumerRecord<byte[], byte[]> record) {
        String reason = rejected.problem() + ": " + rejected.message();
        LOG.warn(
                "Dead-lettering event {}/{}/{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason);
        return DeadLetters.of(stage, reason, record);
    }
}
