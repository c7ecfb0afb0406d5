package io.fxflink.executor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Each sample: executions/s since the last one, busy/capacity per runtime, queue, in flight. */
class MetricsPublisherTest {
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSampleIsWrittenToTheMetricsTopicWithTheRateSinceTheLastSample() {
        StepClock clock = new StepClock();
        AtomicLong finished = new AtomicLong(100);
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        MetricsPublisher publisher =
                new MetricsPublisher(
                        "e-1",
                        new MetricsPublisher.Sources(
                                finished::get,
                                Map.of("python", () -> 3, "jvm", () -> 1),
                                Map.of("python", 4, "jvm", 8),
                                () -> 7,
                                () -> 12),
                        new OpsPublisher(producer, TopicNames.defaults()),
                        clock);
        finished.addAndGet(50);
        clock.now = clock.now.plusSeconds(10);

        publisher.run();

        var records =
                producer.history().stream()
                        .peek(
                                r ->
                                        assertThat(r.topic())
                                                .isEqualTo(TopicNames.defaults().opsMetrics()))
                        .map(r -> Codecs.METRIC.decode(r.value()))
                        .toList();
        assertThat(records)
                .contains(
                        new MetricRecord(
                                "fx.executor.executions.per_second",
                                Map.of("executor", "e-1"),
                                5.0,
                                clock.now),
                        new MetricRecord(
                                "fx.executor.pool.busy",
                                Map.of("executor", "e-1", "runtime", "python"),
                                3,
                                clock.now),
                        new MetricRecord(
                                "fx.executor.pool.capacity",
                                Map.of("executor", "e-1", "runtime", "jvm"),
                                8,
                                clock.now),
                        new MetricRecord(
                                "fx.executor.queue.depth", Map.of("executor", "e-1"), 7, clock.now),
                        new MetricRecord(
                                "fx.executor.in_flight", Map.of("executor", "e-1"), 12, clock.now));
        assertThat(records).hasSize(7);
    }
}
