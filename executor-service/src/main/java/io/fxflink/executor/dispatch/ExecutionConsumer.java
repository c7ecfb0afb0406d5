package io.fxflink.executor.dispatch;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.executor.ops.OpsPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop on {@code fx.executions}: takes requests in, dispatches them to the runner threads
 * highest priority first (1 = highest) within per-service concurrency limits, pauses the partitions
 * when {@code maxInFlight} requests are held (back-pressure instead of an unbounded queue), and
 * commits each partition's offset only below its lowest request without a durable outcome.
 */
public final class ExecutionConsumer implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionConsumer.class);
    private static final long INFRA_RETRY_MS = 5_000;

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final ExecutionAttempts runner;
    private final OpsPublisher ops;
    private final ExecutorService threads;
    private final Map<ServiceRuntime, Integer> slots;
    private final int maxInFlight;
    private final ServiceLimits limits;
    private final Clock clock;
    private final OffsetTracker offsets = new OffsetTracker();
    private static final int MAX_WOKEN_COMMITS = 10_000;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong lastPoll = new AtomicLong(System.currentTimeMillis());

    // guarded by this
    private final PriorityQueue<Pending> pending =
            new PriorityQueue<>(
                    Comparator.comparingInt((Pending p) -> p.request.priority())
                            .thenComparingLong(p -> p.seq));
    private final Map<String, Integer> activeByService = new HashMap<>();
    private final Map<ServiceRuntime, Integer> activeByRuntime =
            new EnumMap<>(ServiceRuntime.class);
    private final Set<Pending> runningNow = new HashSet<>();
    private int active;
    private int held;

    private static final class Pending {
        final ConsumerRecord<byte[], byte[]> record;
        final ExecutionRequest request;
        final long seq;
        Instant notBefore = Instant.EPOCH;
        int retryAttempt;

        Pending(ConsumerRecord<byte[], byte[]> record, ExecutionRequest request, long seq) {
            this.record = record;
            this.request = request;
            this.seq = seq;
        }

        TopicPartition tp() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    public ExecutionConsumer(
            Consumer<byte[], byte[]> consumer,
            String topic,
            ExecutionAttempts runner,
            OpsPublisher ops,
            ExecutorService threads,
            Map<ServiceRuntime, Integer> slots,
            int maxInFlight,
            ServiceLimits limits,
            Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.runner = runner;
        this.ops = ops;
        this.threads = threads;
        this.slots = Map.copyOf(slots);
        this.maxInFlight = maxInFlight;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new Rebalance());
        boolean paused = false;
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    records = ConsumerRecords.empty(); // a runner finished: dispatch now
                }
                lastPoll.set(System.currentTimeMillis());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    accept(r);
                }
                dispatch();
                commit();
                boolean full = held() >= maxInFlight;
                if (full && !paused) {
                    consumer.pause(consumer.assignment());
                    paused = true;
                    LOG.info("{} requests held: pausing {}", held(), consumer.assignment());
                } else if (!full && paused) {
                    consumer.resume(consumer.paused());
                    paused = false;
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            commit();
            consumer.close();
        }
    }

    private synchronized int held() {
        return held;
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        offsets.received(tp, r.offset());
        ExecutionRequest req;
        try {
            req = Codecs.EXECUTION_REQUEST.decode(r.value());
        } catch (InvalidRecordException e) {
            LOG.warn(
                    "undecodable request at {}/{}/{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            deadLetterThenDone(tp, r, e.getMessage());
            return;
        }
        synchronized (this) {
            pending.add(new Pending(r, req, sequence.incrementAndGet()));
            held++;
        }
    }

    private void deadLetterThenDone(
            TopicPartition tp, ConsumerRecord<byte[], byte[]> r, String why) {
        ops.deadLetter(
                        DeadLetterRecord.ofConsumed(
                                DeadLetterStage.EXECUTOR,
                                why,
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                clock.instant(),
                                r.key(),
                                r.value(),
                                Map.of()))
                .whenComplete(
                        (ok, e) -> {
                            if (e == null) {
                                offsets.done(tp, r.offset());
                            } else {
                                LOG.error(
                                        "cannot dead-letter {}/{}; not committing it",
                                        tp,
                                        r.offset(),
                                        e);
                            }
                        });
    }

    private synchronized void dispatch() {
        Instant now = clock.instant();
        List<Pending> skipped = new ArrayList<>();
        while (!pending.isEmpty() && !allSlotsBusy()) {
            Pending p = pending.poll();
            String service = p.request.service();
            ServiceRuntime runtime = p.request.runtime();
            if (p.notBefore.isAfter(now)
                    || activeByRuntime.getOrDefault(runtime, 0) >= slots(runtime)
                    || activeByService.getOrDefault(service, 0) >= limits.limit(service)) {
                skipped.add(p);
                continue;
            }
            active++;
            runningNow.add(p);
            activeByService.merge(service, 1, Integer::sum);
            activeByRuntime.merge(runtime, 1, Integer::sum);
            threads.execute(() -> execute(p));
        }
        pending.addAll(skipped);
    }

    private boolean allSlotsBusy() {
        for (Map.Entry<ServiceRuntime, Integer> e : slots.entrySet()) {
            if (activeByRuntime.getOrDefault(e.getKey(), 0) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A runtime this executor does not run still gets one slot: it ends with a clear error. */
    private int slots(ServiceRuntime runtime) {
        return slots.getOrDefault(runtime, 1);
    }

    private void execute(Pending p) {
        ExecutionAttempts.Decision decision;
        try {
            decision = runner.run(p.request, p.record, p.retryAttempt);
        } catch (Exception e) {
            LOG.error(
                    "execution {}: outcome could not be made durable; trying again in {} ms",
                    p.request.executionId(),
                    INFRA_RETRY_MS,
                    e);
            decision =
                    new ExecutionAttempts.Decision.RetryAt(
                            clock.instant().plusMillis(INFRA_RETRY_MS), p.retryAttempt);
        }
        synchronized (this) {
            active--;
            runningNow.remove(p);
            activeByService.merge(p.request.service(), -1, Integer::sum);
            activeByRuntime.merge(p.request.runtime(), -1, Integer::sum);
            if (decision instanceof ExecutionAttempts.Decision.RetryAt retry) {
                p.notBefore = retry.notBefore();
                p.retryAttempt = retry.attempt();
                pending.add(p);
            } else {
                held--;
                offsets.done(p.tp(), p.record.offset());
            }
        }
        consumer.wakeup(); // let the poll loop dispatch the next one now
    }

    private void commit() {
        var commits = offsets.toCommit();
        if (commits.isEmpty()) {
            return;
        }
        // A runner that finishes wakes the consumer up (to dispatch the next request at once);
        // during a commit that wakeup aborts the commit. It is a signal, not a failure: commit
        // again. Each finished runner wakes it once, so this ends; the bound is a safety net.
        for (int attempt = 1; ; attempt++) {
            try {
                consumer.commitSync(commits);
                return;
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                if (attempt == MAX_WOKEN_COMMITS) {
                    throw e;
                }
            }
        }
    }

    /** True while the poll loop is alive and polling. */
    public boolean healthy() {
        return running.get() && System.currentTimeMillis() - lastPoll.get() < 30_000;
    }

    public synchronized int inFlight() {
        return held;
    }

    /** Requests waiting for a slot, a concurrency limit or a retry backoff. */
    public synchronized int queued() {
        return pending.size();
    }

    /** Requests running right now. */
    public synchronized int running() {
        return active;
    }

    private synchronized boolean runningIn(Set<TopicPartition> partitions) {
        for (Pending p : runningNow) {
            if (partitions.contains(p.tp())) {
                return true;
            }
        }
        return false;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // give running executions of those partitions a bounded time to finish, so a
            // rebalance does not make another executor run them a second time
            long deadline = System.currentTimeMillis() + 30_000;
            Set<TopicPartition> revoked = new HashSet<>(partitions);
            synchronized (ExecutionConsumer.this) {
                // not started here: left uncommitted, the partition's next owner runs them
                for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    if (revoked.contains(p.tp())) {
                        it.remove();
                        held--;
                    }
                }
            }
            while (System.currentTimeMillis() < deadline && runningIn(revoked)) {
                try {
                    TimeUnit.MILLISECONDS.sleep(50); // bounded wait inside the rebalance callback
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            commit();
            revoked.forEach(offsets::forget);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("assigned {}", partitions);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
