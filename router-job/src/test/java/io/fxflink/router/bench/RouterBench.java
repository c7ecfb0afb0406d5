package io.fxflink.router.bench;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.LinkTopicValue;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.router.RouterJob;
import io.fxflink.router.RouterOptions;
import io.fxflink.router.RouterTestData;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Router benchmark against the real local Kafka (not a test). Three figures, in one run:
 *
 * <ol>
 *   <li>sustained throughput of a raw kafka-clients consume→produce copy loop over a backlog of N 1
 *       KiB binary-mode CloudEvents;
 *   <li>sustained throughput of the router job (MiniCluster, parallelism 2) over the same backlog,
 *       against 1,000 links (400 exact, 300 prefix, 300 CESQL-filtered);
 *   <li>produce→request latency (p50/p99/max) through the running router at a fixed rate.
 * </ol>
 *
 * <pre>
 * ./mvnw -pl router-job test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   "-Dexec.args=-cp %classpath io.fxflink.router.bench.RouterBench --smoke"
 * </pre>
 *
 * Options: {@code --smoke} (small and quick, for CI), {@code --events N}, {@code --rate N}
 * (events/s in the latency phase), {@code --seconds N} (latency phase), {@code --exactly-once},
 * {@code --checkpoint-ms N}.
 */
public final class RouterBench {
    private static final int DATA_BYTES = 1024;
    private static final int EXACT = 400;
    private static final int PREFIX = 300;
    private static final int FILTERED = 300;
    private static final int FILTER_TYPES = 50;
    private static final int SERVICES = 10;

    private int events = 100_000;
    private int rate = 1_000;
    private int latencySeconds = 20;
    private long checkpointMs = 2_000;
    private DeliveryGuarantee delivery = DeliveryGuarantee.AT_LEAST_ONCE;

    public static void main(String[] args) throws Exception {
        RouterBench bench = new RouterBench();
        bench.parse(args);
        bench.run();
        System.exit(0); // Flink and Kafka leave non-daemon threads behind
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> {
                    events = 5_000;
                    latencySeconds = 4;
                }
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> latencySeconds = Integer.parseInt(args[++i]);
                case "--checkpoint-ms" -> checkpointMs = Long.parseLong(args[++i]);
                case "--exactly-once" -> delivery = DeliveryGuarantee.EXACTLY_ONCE;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
    }

    private void run() throws Exception {
        RealServers servers = RealServers.of(ServerKind.KAFKA);
        String bootstrap = servers.kafkaBootstrap();
        String eventsTopic = servers.newTopic("bench-events", 4);
        String linksTopic =
                servers.newTopic(
                        "bench-links",
                        1,
                        Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        String executions = servers.newTopic("bench-executions", 4);
        String dead = servers.newTopic("bench-deadletter", 1);
        String copy = servers.newTopic("bench-copy", 4);
        TopicNames topics =
                new TopicNames(eventsTopic, linksTopic, executions, "x.l", "x.e", "x.m", dead);
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            System.out.printf(
                    Locale.ROOT,
                    "Preloading %,d events of %d bytes and %,d links...%n",
                    events,
                    DATA_BYTES,
                    EXACT + PREFIX + FILTERED);
            publishLinks(producer, linksTopic);
            for (int i = 0; i < events; i++) {
                producer.send(eventRecord(eventsTopic, "pre-" + i, i));
            }
            producer.flush();

            double raw = rawCopy(bootstrap, eventsTopic, copy);

            RouterOptions options =
                    RouterOptions.defaults()
                            .withKafkaBootstrap(bootstrap)
                            .withTopics(topics)
                            .withGroupId(RealServers.uniqueName("bench-router"))
                            .withDelivery(delivery, RealServers.uniqueName("bench-tx"));
            // as flink-conf/config.yaml: heap state, checkpoints to a file system, min pause
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Files.createTempDirectory("fx-router-bench-checkpoints").toUri().toString());
            conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(500));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(2, conf);
            env.enableCheckpointing(checkpointMs);
            RouterJob.withKafka(options).build(env);
            RequestReader reader = new RequestReader(bootstrap, executions, events);
            reader.start();
            JobClient job = env.executeAsync("fx-router-bench");
            if (!reader.backlogDone.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("router did not route the backlog in 10 minutes");
            }
            double routed = reader.backlogRate();

            long[] latencies = latencyPhase(producer, eventsTopic, reader);
            job.cancel().get();
            reader.stop();
            print(raw, routed, latencies);
        } finally {
            servers.afterAll(null);
        }
    }

    private void publishLinks(KafkaProducer<byte[], byte[]> producer, String topic) {
        List<LinkTopicValue> values = new ArrayList<>();
        String[] versions = {"1"};
        for (int s = 0; s < SERVICES; s++) {
            values.add(RouterTestData.service("svc" + s, 1, versions));
        }
        Instant t = RouterTestData.T0;
        for (int i = 0; i < EXACT; i++) {
            values.add(
                    Link.toVersion(
                            "x" + i,
                            1,
                            "bench",
                            "bench.exact." + i,
                            MatchType.EXACT,
                            null,
                            "svc" + (i % SERVICES),
                            "1",
                            true,
                            t));
        }
        for (int i = 0; i < PREFIX; i++) {
            values.add(
                    Link.toVersion(
                            "p" + i,
                            1,
                            "bench",
                            "bench.pre." + i + ".",
                            MatchType.PREFIX,
                            null,
                            "svc" + (i % SERVICES),
                            "1",
                            true,
                            t));
        }
        for (int i = 0; i < FILTERED; i++) {
            // six filtered links share each type: each event evaluates six CESQL filters
            values.add(
                    Link.toVersion(
                            "f" + i,
                            1,
                            "bench",
                            "bench.filtered." + (i % FILTER_TYPES),
                            MatchType.EXACT,
                            "subject = 'k" + i + "'",
                            "svc" + (i % SERVICES),
                            "1",
                            true,
                            t));
        }
        for (LinkTopicValue v : values) {
            producer.send(LinkTopicCodec.toProducerRecord(topic, LinkTopicRecord.upsert(v)));
        }
        producer.flush();
    }

    /** Event i matches exactly one link; kinds rotate exact / prefix / filtered. */
    private static ProducerRecord<byte[], byte[]> eventRecord(String topic, String id, int i) {
        byte[] data = new byte[DATA_BYTES];
        Arrays.fill(data, 8, data.length, (byte) ('a' + i % 26));
        CloudEventBuilder b =
                CloudEventBuilder.v1()
                        .withId(id)
                        .withSource(URI.create("urn:bench"))
                        .withDataContentType("application/octet-stream")
                        .withData(data);
        switch (i % 3) {
            case 0 -> b.withType("bench.exact." + (i % EXACT));
            case 1 -> b.withType("bench.pre." + (i % PREFIX) + ".happened");
            default -> {
                int link = i % FILTERED;
                b.withType("bench.filtered." + (link % FILTER_TYPES)).withSubject("k" + link);
            }
        }
        CloudEvent e = b.build();
        return KafkaCloudEvents.toBinaryRecord(topic, id.getBytes(), e);
    }

    /** Raw kafka-clients loop: poll the backlog, produce each record to another topic. */
    private double rawCopy(String bootstrap, String from, String to) {
        Properties c = consumerProps(bootstrap, RealServers.uniqueName("bench-copy"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
                KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            consumer.subscribe(List.of(from));
            long copied = 0;
            long start = 0;
            while (copied < events) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    producer.send(new ProducerRecord<>(to, null, r.key(), r.value(), r.headers()));
                    copied++;
                }
            }
            producer.flush();
            consumer.commitSync();
            return events / ((System.nanoTime() - start) / 1e9);
        }
    }

    private long[] latencyPhase(
            KafkaProducer<byte[], byte[]> producer, String topic, RequestReader reader) {
        int warmup = rate * 2;
        int total = rate * latencySeconds + warmup;
        reader.expectLatencies(warmup);
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            producer.send(eventRecord(topic, "lat-" + i, i));
            next += interval;
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (reader.latencyCount() < total - warmup && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return reader.latencies();
    }

    private void print(double raw, double routed, long[] lat) {
        Arrays.sort(lat);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "FX router benchmark: %,d events x %d B binary mode, %d links (%d exact, %d prefix, %d CESQL),"
                        + " parallelism 2, %s, checkpoint %d ms%n",
                events,
                DATA_BYTES,
                EXACT + PREFIX + FILTERED,
                EXACT,
                PREFIX,
                FILTERED,
                delivery.toString().toLowerCase(Locale.ROOT).replace('_', '-'),
                checkpointMs);
        System.out.println("| measurement                              | value          |");
        System.out.println("|------------------------------------------|----------------|");
        System.out.printf(
                Locale.ROOT, "| raw kafka-clients copy loop, events/s    | %,14.0f |%n", raw);
        System.out.printf(
                Locale.ROOT, "| router job, events/s                     | %,14.0f |%n", routed);
        System.out.printf(
                Locale.ROOT,
                "| router / raw copy                        | %13.0f%% |%n",
                100 * routed / raw);
        if (lat.length == 0) {
            System.out.println("| latency: no samples                      |                |");
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "| latency @ %,d ev/s, samples              | %,14d |%n",
                rate,
                lat.length);
        System.out.printf(
                Locale.ROOT,
                "| produce->request p50, ms                 | %14.1f |%n",
                ms(lat, 0.50));
        System.out.printf(
                Locale.ROOT,
                "| produce->request p99, ms                 | %14.1f |%n",
                ms(lat, 0.99));
        System.out.printf(
                Locale.ROOT,
                "| produce->request max, ms                 | %14.1f |%n",
                lat[lat.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    private static Properties consumerProps(String bootstrap, String group) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return c;
    }

    /** Reads the executions topic: counts the backlog's requests, then records latencies. */
    private static final class RequestReader implements Runnable {
        private final Properties props;
        private final String topic;
        private final int backlog;
        final CountDownLatch backlogDone = new CountDownLatch(1);
        private final AtomicLong seen = new AtomicLong();
        private volatile long firstNanos;
        private volatile long lastNanos;
        private volatile int latencySkip = Integer.MAX_VALUE;
        private final List<Long> latencies = new ArrayList<>();
        private int latencySeen;
        private volatile boolean stopped;
        private Thread thread;

        RequestReader(String bootstrap, String topic, int backlog) {
            this.props = consumerProps(bootstrap, RealServers.uniqueName("bench-reader"));
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
                        // no JSON decoding here: the reader must not be the bottleneck. The
                        // request's record timestamp is its trigger event's produce time.
                        long n = seen.incrementAndGet();
                        if (n == 1) {
                            firstNanos = System.nanoTime();
                        }
                        if (n == backlog) {
                            lastNanos = System.nanoTime();
                            backlogDone.countDown();
                        } else if (n > backlog) {
                            synchronized (this) {
                                if (latencySeen++ >= latencySkip) {
                                    latencies.add(
                                            (System.currentTimeMillis() - r.timestamp())
                                                    * 1_000_000L);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
