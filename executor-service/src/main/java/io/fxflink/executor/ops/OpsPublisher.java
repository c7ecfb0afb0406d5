package io.fxflink.executor.ops;

import io.cloudevents.CloudEvent;
import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Everything the executor writes to Kafka: emitted events, lifecycle records, log lines, metrics
 * and dead letters. Each send returns a future; an execution's outcome is made durable only after
 * all of its futures completed (acks=all, idempotent producer).
 */
public final class OpsPublisher {
    private final Producer<byte[], byte[]> producer;
    private final TopicNames topics;

    public OpsPublisher(Producer<byte[], byte[]> producer, TopicNames topics) {
        this.producer = producer;
        this.topics = topics;
    }

    public CompletableFuture<Void> event(String key, CloudEvent event) {
        return send(
                KafkaCloudEvents.toBinaryRecord(
                        topics.events(), key.getBytes(StandardCharsets.UTF_8), event));
    }

    public CompletableFuture<Void> lifecycle(ExecutionLifecycleRecord r) {
        return send(
                new ProducerRecord<>(
                        topics.opsExecutions(),
                        r.executionId().getBytes(StandardCharsets.UTF_8),
                        Codecs.EXECUTION_LIFECYCLE.encode(r)));
    }

    public CompletableFuture<Void> log(OpsLogRecord r) {
        return send(
                new ProducerRecord<>(
                        topics.opsLogs(),
                        r.executionId().getBytes(StandardCharsets.UTF_8),
                        Codecs.OPS_LOG.encode(r)));
    }

    public CompletableFuture<Void> metric(MetricRecord r) {
        return send(
                new ProducerRecord<>(
                        topics.opsMetrics(),
                        r.name().getBytes(StandardCharsets.UTF_8),
                        Codecs.METRIC.encode(r)));
    }

    public CompletableFuture<Void> deadLetter(DeadLetterRecord r) {
        return send(
                new ProducerRecord<>(
                        topics.deadLetter(),
                        r.recordId().getBytes(StandardCharsets.UTF_8),
                        Codecs.DEAD_LETTER.encode(r)));
    }

    public CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        producer.send(
                record,
                (md, e) -> {
                    if (e == null) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(e);
                    }
                });
        return f;
    }

    /** Waits until every future is acknowledged; throws when one failed or time ran out. */
    public static void awaitAll(List<CompletableFuture<Void>> futures, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .get(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
