package io.fxflink.executor.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.executor.ops.OpsPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poll loop's dispatch rules with Kafka's MockConsumer/MockProducer at the boundary and a
 * hand-written runner fake: priority order, per-service limits, pausing at the in-flight limit,
 * offsets committed only below the lowest unfinished request, dead letters for undecodable input.
 */
class ExecutionConsumerTest {
    static final String TOPIC = "fx.executions";
    static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    MockConsumer<byte[], byte[]> kafka = new MockConsumer<>("earliest");
    final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    final ExecutorService threads = Executors.newCachedThreadPool();
    final ServiceLimits limits = new ServiceLimits();
    ExecutionConsumer consumer;
    Thread loop;
    long nextOffset;

    /**
     * Records each run; a run of a service in {@code blocked} waits for {@code release}, a run with
     * a gate waits for its gate.
     */
    static final class FakeRunner implements ExecutionAttempts {
        final List<String> order = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final Map<String, Integer> maxRunning = new ConcurrentHashMap<>();
        final Set<String> blocked = ConcurrentHashMap.newKeySet();
        final CountDownLatch release = new CountDownLatch(1);
        final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

        @Override
        public Decision run(
                ExecutionRequest req, ConsumerRecord<byte[], byte[]> record, int retryAttempt)
                throws Exception {
            order.add(req.executionId());
            int now =
                    running.computeIfAbsent(req.service(), k -> new AtomicInteger())
                            .incrementAndGet();
            maxRunning.merge(req.service(), now, Math::max);
            try {
                if (blocked.contains(req.service()) || blocked.contains(req.executionId())) {
                    release.await(30, TimeUnit.SECONDS);
                }
                CountDownLatch gate = gates.get(req.executionId());
                if (gate != null) {
                    gate.await(30, TimeUnit.SECONDS);
                }
            } finally {
                running.get(req.service()).decrementAndGet();
            }
            return new Decision.Done();
        }
    }

    final FakeRunner runner = new FakeRunner();

    void start(Map<ServiceRuntime, Integer> slots, int maxInFlight, List<byte[]> values) {
        consumer =
                new ExecutionConsumer(
                        kafka,
                        TOPIC,
                        runner,
                        new OpsPublisher(producer, TopicNames.defaults()),
                        threads,
                        slots,
                        maxInFlight,
                        limits,
                        Clock.systemUTC());
        kafka.schedulePollTask(
                () -> {
                    kafka.rebalance(List.of(TP));
                    kafka.updateBeginningOffsets(Map.of(TP, 0L));
                    for (byte[] v : values) {
                        kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, nextOffset++, null, v));
                    }
                });
        loop = new Thread(consumer, "test-poll");
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
        runner.release.countDown();
        if (consumer != null) {
            consumer.close();
            loop.join(10_000);
        }
        threads.shutdownNow();
    }

    static byte[] request(String id, String service, int priority) {
        TriggerEvent trigger =
                new TriggerEvent(
                        "ev-" + id, "urn:test", "t", null, null, null, null, null, Map.of());
        Instant now = Instant.now();
        return Codecs.EXECUTION_REQUEST.encode(
                new ExecutionRequest(
                        id,
                        null,
                        service,
                        "1",
                        new PackageRef("packages/x.zip", "0".repeat(64)),
                        ServiceRuntime.PYTHON,
                        trigger,
                        1,
                        now.plusSeconds(60),
                        0,
                        null,
                        priority,
                        10_000,
                        0,
                        0,
                        now));
    }

    long committed() {
        OffsetAndMetadata c = kafka.committed(Set.of(TP)).get(TP);
        return c == null ? -1 : c.offset();
    }

    @Test
    void requestsRunHighestPriorityFirstThenInArrivalOrder() {
        start(
                Map.of(ServiceRuntime.PYTHON, 1),
                100,
                List.of(
                        request("p5-first", "s", 5),
                        request("p9", "s", 9),
                        request("p1", "s", 1),
                        request("p5-second", "s", 5)));

        await().atMost(Duration.ofSeconds(10)).until(() -> runner.order.size() == 4);
        assertThat(runner.order).containsExactly("p1", "p5-first", "p5-second", "p9");
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 4);
    }

    @Test
    void aServiceNeverRunsMoreThanItsConcurrencyWhileOthersGoOn() {
        limits.learn("limited", 1);
        runner.blocked.add("limited");
        start(
                Map.of(ServiceRuntime.PYTHON, 4),
                100,
                List.of(
                        request("l1", "limited", 5),
                        request("l2", "limited", 5),
                        request("l3", "limited", 5),
                        request("free", "other", 5)));

        // "other" runs although "limited" is blocked and 2 of its requests wait
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.order.contains("free"));
        assertThat(runner.order).containsExactlyInAnyOrder("l1", "free");
        assertThat(consumer.queued()).isEqualTo(2);

        runner.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.order.size() == 4);
        assertThat(runner.maxRunning.get("limited")).isEqualTo(1);
    }

    @Test
    void theConsumerPausesAtTheInFlightLimitAndResumesWhenWorkIsDone() {
        runner.blocked.add("s");
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add(request("r" + i, "s", 5));
        }
        start(Map.of(ServiceRuntime.PYTHON, 1), 3, values);

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.paused().contains(TP));
        assertThat(consumer.inFlight()).isEqualTo(5);
        assertThat(runner.order).hasSize(1); // one slot: the others are held, not run

        runner.release.countDown();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> runner.order.size() == 5 && kafka.paused().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 5);
    }

    @Test
    void offsetsAreCommittedOnlyBelowTheLowestUnfinishedRequest() {
        TopicPartition other = new TopicPartition(TOPIC, 1);
        runner.blocked.add("slow-1");
        CountDownLatch laterOnes = new CountDownLatch(1);
        runner.gates.put("fast-2", laterOnes);
        runner.gates.put("fast-3", laterOnes);
        consumer =
                new ExecutionConsumer(
                        kafka,
                        TOPIC,
                        runner,
                        new OpsPublisher(producer, TopicNames.defaults()),
                        threads,
                        Map.of(ServiceRuntime.PYTHON, 4),
                        100,
                        limits,
                        Clock.systemUTC());
        kafka.schedulePollTask(
                () -> {
                    kafka.rebalance(List.of(TP, other));
                    kafka.updateBeginningOffsets(Map.of(TP, 0L, other, 0L));
                    kafka.addRecord(record(TP, 0, request("fast-0", "s", 5)));
                    kafka.addRecord(record(TP, 1, request("slow-1", "s", 5)));
                    kafka.addRecord(record(TP, 2, request("fast-2", "s", 5)));
                    kafka.addRecord(record(TP, 3, request("fast-3", "s", 5)));
                });
        loop = new Thread(consumer, "test-poll");
        loop.start();

        // 0 is done and committed: the consumer does commit while 1, 2 and 3 are unfinished
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(TP) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.order.size() == 4);
        laterOnes.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.inFlight() == 1);
        // 2 and 3 are done too. A request on the other partition, received and committed after
        // that, shows the poll loop computed and made a commit since: partition 0 still stays
        // at 1, as committing past 1 would lose it after a crash
        kafka.schedulePollTask(() -> kafka.addRecord(record(other, 0, request("other-0", "s", 5))));
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(other) == 1);
        assertThat(committed(TP)).as("partition 0's commit while offset 1 runs").isEqualTo(1);

        runner.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(TP) == 4);
    }

    static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset, byte[] value) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, null, value);
    }

    long committed(TopicPartition tp) {
        OffsetAndMetadata c = kafka.committed(Set.of(tp)).get(tp);
        return c == null ? -1 : c.offset();
    }

    @Test
    void wakeupsThatInterruptCommitsNeitherStopTheLoopNorLoseOffsets() {
        // finished runners wake the consumer up; a wakeup landing in commitSync aborts that commit
        AtomicInteger interruptedCommits = new AtomicInteger();
        kafka =
                new MockConsumer<>("earliest") {
                    @Override
                    public synchronized void commitSync(
                            Map<TopicPartition, OffsetAndMetadata> offsets) {
                        if (interruptedCommits.getAndIncrement() < 5) {
                            throw new org.apache.kafka.common.errors.WakeupException();
                        }
                        super.commitSync(offsets);
                    }
                };
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            values.add(request("r-" + i, "s", 5));
        }
        start(Map.of(ServiceRuntime.PYTHON, 2), 100, values);

        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 20);
        assertThat(interruptedCommits.get()).isGreaterThan(5);
        assertThat(runner.order).hasSize(20);
        assertThat(loop.isAlive()).isTrue();
        assertThat(consumer.healthy()).isTrue();
    }

    @Test
    void anUndecodableRequestIsDeadLetteredAndDoesNotBlockTheOthers() {
        start(
                Map.of(ServiceRuntime.PYTHON, 1),
                100,
                List.of("{not json".getBytes(StandardCharsets.UTF_8), request("ok", "s", 5)));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 2);
        assertThat(runner.order).containsExactly("ok");
        assertThat(producer.history())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.topic()).isEqualTo(TopicNames.defaults().deadLetter());
                            var dl = Codecs.DEAD_LETTER.decode(r.value());
                            assertThat(dl.reason()).isNotBlank();
                        });
    }
}
