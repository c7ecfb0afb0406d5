package io.fxflink.router.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads an executions topic for {@link RouterBench}: counts the backlog's requests (first to last
 * arrival = the router's throughput), then records produce→request latencies. No JSON decoding: the
 * reader must not be the bottleneck, and a request's record timestamp is its trigger event's
 * produce time (the Kafka sink keeps the source record's timestamp).
 */
final class RequestReader implements Runnable {
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private final Properties props;
    private final String topic;
    private final int backlog;
    final CountDownLatch backlogDone = new CountDownLatch(1);
    private final AtomicLong seen = new AtomicLong();
    private volatile long firstNanos;
    private volatile long lastNanos;
    private volatile long firstCpuNanos;
    private volatile long lastCpuNanos;
    private volatile long firstReaderCpuNanos;
    private volatile long lastReaderCpuNanos;
    private volatile int latencySkip = Integer.MAX_VALUE;
    private final List<Long> latencies = new ArrayList<>();
    private int latencySeen;
    private volatile boolean stopped;
    private Thread thread;

    RequestReader(Properties consumerProps, String topic, int backlog) {
        this.props = consumerProps;
        this.topic = topic;
        this.backlog = backlog;
    }

    void start() {
        thread = new Thread(this, "bench-request-reader");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stopped = true;
        thread.join(5_000);
    }

    double backlogRate() {
        return (backlog - 1) / ((lastNanos - firstNanos) / 1e9);
    }

    /**
     * CPU time of this whole process per backlog event, in µs (less sensitive to other load),
     * without this reader's own thread: the copy loop has no reader either.
     */
    double backlogCpuMicrosPerEvent() {
        long readerCpu = lastReaderCpuNanos - firstReaderCpuNanos;
        return (lastCpuNanos - firstCpuNanos - readerCpu) / 1e3 / (backlog - 1);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Latencies are recorded from now on, after skipping the first {@code warmup} requests. */
    void expectLatencies(int warmup) {
        latencySkip = warmup;
    }

    synchronized int latencyCount() {
        return latencies.size();
    }

    synchronized long[] latencies() {
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                    long n = seen.incrementAndGet();
                    if (n == 1) {
                        firstNanos = System.nanoTime();
                        firstCpuNanos = processCpuNanos();
                        firstReaderCpuNanos = THREADS.getCurrentThreadCpuTime();
                    }
                    if (n == backlog) {
                        lastNanos = System.nanoTime();
                        lastCpuNanos = processCpuNanos();
                        lastReaderCpuNanos = THREADS.getCurrentThreadCpuTime();
                        backlogDone.countDown();
                    } else if (n > backlog) {
                        synchronized (this) {
                            if (latencySeen++ >= latencySkip) {
                                latencies.add(
                                        (System.currentTimeMillis() - r.timestamp()) * 1_000_000L);
                            }
                        }
                    }
                }
            }
        }
    }
}
