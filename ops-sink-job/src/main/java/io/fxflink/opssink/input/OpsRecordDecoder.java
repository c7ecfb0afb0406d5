package io.fxflink.opssink.input;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.opssink.deadletter.DeadLetter;
import io.fxflink.opssink.elasticsearch.OpsDocuments;
import io.fxflink.opssink.elasticsearch.OpsIndices;
import io.fxflink.opssink.postgres.ExecutionRow;
import io.fxflink.opssink.rollup.RollupInput;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one raw ops record by its topic (logs, lifecycle or metrics) with the contract codecs and
 * converts it for the sinks. Anything that cannot be decoded becomes a dead letter with the reason
 * and the original bytes; this method never throws, so one bad record never stops the job.
 */
public final class OpsRecordDecoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OpsRecordDecoder.class);

    private final TopicNames topics;
    private final OpsIndices indices;
    private final Clock clock;

    public OpsRecordDecoder(TopicNames topics, OpsIndices indices) {
        this(topics, indices, Clock.systemUTC());
    }

    OpsRecordDecoder(TopicNames topics, OpsIndices indices, Clock clock) {
        this.topics = topics;
        this.indices = indices;
        this.clock = clock;
    }

    public OpsInput decode(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Map<String, byte[]> headers) {
        try {
            if (topic.equals(topics.opsLogs())) {
                OpsLogRecord r = Codecs.OPS_LOG.decode(value);
                return OpsInput.document(
                        OpsDocuments.log(indices, r, topic, partition, offset),
                        r.time().toEpochMilli());
            }
            if (topic.equals(topics.opsExecutions())) {
                ExecutionLifecycleRecord r = Codecs.EXECUTION_LIFECYCLE.decode(value);
                return OpsInput.lifecycle(
                        OpsDocuments.lifecycle(indices, r, topic, partition, offset),
                        ExecutionRow.of(r),
                        RollupInput.counts(r.status()) ? RollupInput.of(r) : null,
                        r.time().toEpochMilli());
            }
            if (topic.equals(topics.opsMetrics())) {
                MetricRecord r = Codecs.METRIC.decode(value);
                return OpsInput.document(
                        OpsDocuments.metric(indices, r, topic, partition, offset),
                        r.time().toEpochMilli());
            }
            return deadLetter(
                    "topic " + topic + " is not an ops topic of this job",
                    topic,
                    partition,
                    offset,
                    key,
                    value,
                    headers);
        } catch (InvalidRecordException e) {
            return deadLetter(e.getMessage(), topic, partition, offset, key, value, headers);
        } catch (RuntimeException e) {
            // a bug in conversion must not stop the stream either; keep the bytes and say why
            LOG.warn("Unexpected failure converting record {}/{}/{}", topic, partition, offset, e);
            return deadLetter(
                    "cannot convert record: " + e, topic, partition, offset, key, value, headers);
        }
    }

    private OpsInput deadLetter(
            String reason,
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Map<String, byte[]> headers) {
        LOG.warn("Dead letter for {}/{}/{}: {}", topic, partition, offset, reason);
        DeadLetterRecord record =
                DeadLetterRecord.ofConsumed(
                        DeadLetterStage.OPS_SINK,
                        reason,
                        topic,
                        partition,
                        offset,
                        Instant.now(clock),
                        key,
                        value,
                        headers);
        return OpsInput.deadLetter(DeadLetter.of(record));
    }
}
