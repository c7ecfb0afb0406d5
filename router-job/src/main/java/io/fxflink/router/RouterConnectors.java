package io.fxflink.router;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.kafka.ConsumedCloudEventDeserializationSchema;
import io.fxflink.jobs.kafka.KafkaSinks;
import io.fxflink.jobs.kafka.KafkaSources;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.sink.ExecutionRequestSchema;
import io.fxflink.router.source.LinkRecordSchema;
import io.fxflink.router.source.LinkUpdate;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.types.Either;

/**
 * The router's real Kafka connectors, built from {@link RouterOptions} with the shared builders of
 * fx-jobs-flink. Kept apart from {@link RouterJob} so tests and benchmarks can inject their own.
 */
public final class RouterConnectors {
    /** Source names: consumer groups are {@code <group.id>.<name>}. */
    static final String EVENTS = "events";

    static final String LINKS = "links";

    /** Sink names: exactly-once transactional ids are {@code <prefix>-<name>}. */
    static final String EXECUTIONS = "executions";

    static final String DEAD_LETTERS = "deadletter";

    private RouterConnectors() {}

    /**
     * The events topic from the committed offsets of the consumer group (the checkpoint's offsets
     * win on restore), else from {@link RouterOptions#startFrom()}; records that are not
     * CloudEvents come out as dead letters (left).
     */
    public static KafkaSource<Either<DeadLetterRecord, ConsumedEvent>> events(RouterOptions o) {
        JobConfig cfg = o.jobConfig();
        return KafkaSources.forTopic(
                cfg,
                o.topics().events(),
                EVENTS,
                new ConsumedCloudEventDeserializationSchema(
                        DeadLetterStage.ROUTER, o.maxEventBytes()));
    }

    /** The whole compacted links topic, from the earliest offset, every time (late linking). */
    public static KafkaSource<LinkUpdate> links(RouterOptions o) {
        return KafkaSources.compactedFromEarliest(
                o.jobConfig(), o.topics().links(), LINKS, new LinkRecordSchema());
    }

    public static KafkaSink<ExecutionRequest> executions(RouterOptions o) {
        return KafkaSinks.build(
                o.jobConfig(),
                EXECUTIONS,
                new ExecutionRequestSchema(o.topics().executions()),
                producerDefaults());
    }

    public static KafkaSink<DeadLetterRecord> deadLetters(RouterOptions o) {
        return KafkaSinks.build(
                o.jobConfig(),
                DEAD_LETTERS,
                DeadLetters.serializationSchema(o.topics().deadLetter()),
                producerDefaults());
    }

    /**
     * A request waits at most 5 ms for company (Kafka 4's own default), batches up to 128 KiB, LZ4.
     * Kafka's LZ4 sets up a frame with two fresh 64 KiB buffers per batch (75 µs per single-request
     * batch, 8 µs per request in 12-request batches in a single-thread probe, 16 % of the routing
     * thread in JFR), yet the whole benchmark spent more CPU per event without compression (median
     * 171 vs 93 µs over alternating runs: its payload compresses to 7 %, and the 14× larger
     * requests cost more in socket copies and fetches than LZ4 does). Worth measuring {@code
     * --kafka.prop.compression.type=none} (or snappy) for payloads that compress poorly (README,
     * Benchmark).
     */
    public static Properties producerDefaults() {
        Properties props = new Properties();
        props.setProperty("linger.ms", "5");
        props.setProperty("batch.size", "131072");
        props.setProperty("compression.type", "lz4");
        return props;
    }
}
