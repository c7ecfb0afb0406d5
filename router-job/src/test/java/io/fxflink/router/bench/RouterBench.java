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
import io.fxflink.router.RouterConnectors;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Router benchmark against the real local Kafka (not a test). In one run, on one MiniCluster:
 *
 * <ol>
 *   <li>a raw kafka-clients consume→produce copy loop over a backlog of N 1 KiB binary-mode
 *       CloudEvents (after a warm-up pass over another backlog);
 *   <li>the router job (1,000 links: 400 exact, 300 prefix, 300 CESQL-filtered) over the same
 *       backlog at parallelism 1 and at parallelism 2, after a warm-up job (JIT) over another
 *       backlog: events/s from its first to its last execution request;
 *   <li>produce→request latency (p50/p99/max) through the running parallelism-2 job at a fixed rate
 *       (at-least-once), then through an exactly-once job at the same rate.
 * </ol>
 *
 * <p>Ends with one {@code BENCH-JSON {...}} line for {@code bench/run}.
 *
 * <pre>
 * ./mvnw -pl router-job test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   "-Dexec.args=-cp %classpath io.fxflink.router.bench.RouterBench --smoke"
 * </pre>
 *
 * Options: {@code --smoke} (small and quick, for CI), {@code --events N} (backlog), {@code --rate
 * N} (events/s in the latency phases), {@code --seconds N} (each latency phase), {@code
 * --checkpoint-ms N} (default 2,000 as in flink-conf/), {@code --kafka-prop key=value} (a Kafka
 * client property of the router, as its {@code --kafka.prop.key=value}).
 */
public final class RouterBench {
    private static final int DATA_BYTES = 1024;
    private static final int EXACT = 400;
    private static final int PREFIX = 300;
    private static final int FILTERED = 300;
    private static final int FILTER_TYPES = 50;
    private static final int SERVICES = 10;

    /** Events routed before a latency phase starts: the job is running and warm. */
    private static final int PROBE = 300;

    private int events = 100_000;
    private int warmupEvents = 30_000;
    private int rate = 1_000;
    private int latencySeconds = 20;
    private long checkpointMs = 2_000;
    private final Map<String, String> kafkaProps = new LinkedHashMap<>();
    private double rawCpuMicros;

    private String bootstrap;
    private RealServers servers;
    private String linksTopic;
    private MiniCluster cluster;

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
                    warmupEvents = 0;
                    latencySeconds = 3;
                }
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--warmup-events" -> warmupEvents = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> latencySeconds = Integer.parseInt(args[++i]);
                case "--checkpoint-ms" -> checkpointMs = Long.parseLong(args[++i]);
                case "--kafka-prop" -> {
                    String[] kv = args[++i].split("=", 2);
                    kafkaProps.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
    }

    private void run() throws Exception {
        servers = RealServers.of(ServerKind.KAFKA);
        bootstrap = servers.kafkaBootstrap();
        linksTopic =
                servers.newTopic(
                        "bench-links",
                        1,
                        Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        String warmTopic = servers.newTopic("bench-warm-events", 4);
        String eventsTopic = servers.newTopic("bench-events", 4);
        Map<String, Double> figures = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            System.out.printf(
                    Locale.ROOT,
                    "Preloading %,d + %,d (warm-up) events of %d bytes and %,d links...%n",
                    events,
                    warmupEvents,
                    DATA_BYTES,
                    EXACT + PREFIX + FILTERED);
            publishLinks(producer, linksTopic);
            for (int i = 0; i < warmupEvents; i++) {
                producer.send(eventRecord(warmTopic, "warm-" + i, i));
            }
            for (int i = 0; i < events; i++) {
                producer.send(eventRecord(eventsTopic, "pre-" + i, i));
            }
            producer.flush();

            if (warmupEvents > 0) {
                rawCopy(warmTopic, warmupEvents);
            }
            double raw = rawCopy(eventsTopic, events);
            figures.put("raw_copy_events_per_s", raw);

            cluster = miniCluster();
            if (warmupEvents > 0) {
                System.out.println("Warm-up job (JIT)...");
                backlogJob(warmTopic, warmupEvents, 2, DeliveryGuarantee.AT_LEAST_ONCE).stop();
            }
            System.out.println("Backlog at parallelism 1...");
            RunningRouter p1 = backlogJob(eventsTopic, events, 1, DeliveryGuarantee.AT_LEAST_ONCE);
            p1.stop();
            System.out.println("Backlog at parallelism 2, then latency at-least-once...");
            RunningRouter p2 = backlogJob(eventsTopic, events, 2, DeliveryGuarantee.AT_LEAST_ONCE);
            long[] lat = latencyPhase(producer, eventsTopic, p2.reader);
            p2.stop();
            System.out.println("Latency exactly-once...");
            String eoTopic = servers.newTopic("bench-eo-events", 4);
            for (int i = 0; i < PROBE; i++) {
                producer.send(eventRecord(eoTopic, "probe-" + i, i));
            }
            producer.flush();
            RunningRouter eo = backlogJob(eoTopic, PROBE, 2, DeliveryGuarantee.EXACTLY_ONCE);
            long[] eoLat = latencyPhase(producer, eoTopic, eo.reader);
            eo.stop();

            figures.put("router_events_per_s", p2.backlogRate);
            figures.put("router_vs_raw_copy", p2.backlogRate / raw);
            figures.put("router_p50_ms_at_1000", ms(lat, 0.50));
            figures.put("router_p99_ms_at_1000", ms(lat, 0.99));
            figures.put("router_p99_ms_at_1000_exactly_once", ms(eoLat, 0.99));
            figures.put("router_events_per_s_p1", p1.backlogRate);
            figures.put("router_events_per_s_p2", p2.backlogRate);
            // CPU of this process per event (all threads): what the load of others cannot skew
            figures.put("raw_copy_cpu_us_per_event", rawCpuMicros);
            figures.put("router_cpu_us_per_event_p2", p2.cpuMicrosPerEvent);
            print(figures, lat, eoLat);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            servers.afterAll(null);
        }
    }

    /** One TaskManager with two slots, heap state, file-system checkpoints (as flink-conf/). */
    private static MiniCluster miniCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Files.createTempDirectory("fx-router-bench-checkpoints").toUri().toString());
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(500));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        cluster.start();
        return cluster;
    }

    /** A router job over {@code topic} with its own group and output topics. */
    private RunningRouter backlogJob(
            String eventsTopic, int backlog, int parallelism, DeliveryGuarantee delivery)
            throws Exception {
        String executions = servers.newTopic("bench-executions", 4);
        String dead = servers.newTopic("bench-deadletter", 1);
        TopicNames topics =
                new TopicNames(eventsTopic, linksTopic, executions, "x.l", "x.e", "x.m", dead);
        RouterOptions options =
                RouterOptions.defaults()
                        .withKafkaBootstrap(bootstrap)
                        .withTopics(topics)
                        .withGroupId(RealServers.uniqueName("bench-router"))
                        .withDelivery(delivery, RealServers.uniqueName("bench-tx"));
        for (Map.Entry<String, String> p : kafkaProps.entrySet()) {
            options = options.withKafkaProperty(p.getKey(), p.getValue());
        }
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, parallelism);
        env.enableCheckpointing(checkpointMs);
        RouterJob.withKafka(options).build(env);
        RequestReader reader =
                new RequestReader(
                        consumerProps(bootstrap, RealServers.uniqueName("bench-reader")),
                        executions,
                        backlog);
        reader.start();
        JobClient job = env.executeAsync("fx-router-bench-p" + parallelism);
        if (!reader.backlogDone.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("router did not route the backlog in 10 minutes");
        }
        return new RunningRouter(
                job, reader, reader.backlogRate(), reader.backlogCpuMicrosPerEvent());
    }

    private record RunningRouter(
            JobClient job, RequestReader reader, double backlogRate, double cpuMicrosPerEvent) {
        void stop() throws Exception {
            job.cancel().get();
            reader.stop();
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

    /**
     * Raw kafka-clients loop: poll the backlog, produce each record to another topic. Same client
     * settings as the router's events source and executions sink (see {@link #copyConsumerProps}
     * and {@link #copyProducer}), so the comparison measures the router's own work.
     */
    private double rawCopy(String from, int count) {
        String to = servers.newTopic("bench-copy", 4);
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(
                                copyConsumerProps(RealServers.uniqueName("bench-copy")));
                KafkaProducer<byte[], byte[]> producer = copyProducer()) {
            consumer.subscribe(List.of(from));
            long copied = 0;
            long start = 0;
            long startCpu = 0;
            while (copied < count) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (start == 0) {
                        start = System.nanoTime();
                        startCpu = RequestReader.processCpuNanos();
                    }
                    producer.send(new ProducerRecord<>(to, null, r.key(), r.value(), r.headers()));
                    copied++;
                }
            }
            producer.flush();
            double rate = count / ((System.nanoTime() - start) / 1e9);
            rawCpuMicros = (RequestReader.processCpuNanos() - startCpu) / 1e3 / count;
            consumer.commitSync();
            return rate;
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
        long[] lat = reader.latencies();
        Arrays.sort(lat);
        return lat;
    }

    private void print(Map<String, Double> f, long[] lat, long[] eoLat) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "FX router benchmark: %,d events x %d B binary mode, %d links (%d exact, %d prefix,"
                        + " %d CESQL), checkpoint %d ms, latency at %,d ev/s for %d s (+2 s"
                        + " warm-up), load average at the end %.1f%n",
                events,
                DATA_BYTES,
                EXACT + PREFIX + FILTERED,
                EXACT,
                PREFIX,
                FILTERED,
                checkpointMs,
                rate,
                latencySeconds,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        row("raw kafka-clients copy loop, events/s", f.get("raw_copy_events_per_s"));
        row("router p=1, events/s", f.get("router_events_per_s_p1"));
        row("router p=2, events/s", f.get("router_events_per_s_p2"));
        row("router p=2 / raw copy, %", 100 * f.get("router_vs_raw_copy"));
        row("raw copy CPU per event, us", f.get("raw_copy_cpu_us_per_event"));
        row("router p=2 CPU per event, us", f.get("router_cpu_us_per_event_p2"));
        row("at-least-once latency samples", lat.length);
        row("at-least-once p50, ms", f.get("router_p50_ms_at_1000"));
        row("at-least-once p99, ms", f.get("router_p99_ms_at_1000"));
        row("at-least-once max, ms", lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6);
        row("exactly-once latency samples", eoLat.length);
        row("exactly-once p50, ms", ms(eoLat, 0.50));
        row("exactly-once p99, ms", f.get("router_p99_ms_at_1000_exactly_once"));
        StringBuilder json = new StringBuilder("BENCH-JSON {");
        f.forEach(
                (k, v) ->
                        json.append(json.length() > 12 ? ", " : "")
                                .append('"')
                                .append(k)
                                .append("\": ")
                                .append(
                                        Double.isFinite(v)
                                                ? String.format(Locale.ROOT, "%.4f", v)
                                                : "null"));
        System.out.println(json.append('}'));
    }

    private static void row(String name, double value) {
        System.out.printf(Locale.ROOT, "| %-40s | %14.1f |%n", name, value);
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    /**
     * The router's events-source consumer settings: Kafka's defaults, {@code read_committed}
     * (KafkaSources), and the same {@code --kafka-prop} overrides.
     */
    private Properties copyConsumerProps(String group) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        c.putAll(kafkaProps);
        return c;
    }

    /**
     * The router's executions-sink producer settings at-least-once: its producer defaults
     * (RouterConnectors), idempotent with acks=all (KafkaSinks), and the same {@code --kafka-prop}
     * overrides.
     */
    private KafkaProducer<byte[], byte[]> copyProducer() {
        Properties p = new Properties();
        p.putAll(RouterConnectors.producerDefaults());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putAll(kafkaProps);
        return new KafkaProducer<>(p);
    }

    /** The events producer of the bench itself (preloading, fixed-rate phases). */
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
}
