package io.fxflink.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fxflink.config.ConfigStores;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.topic.TopicProvisioner;
import io.fxflink.contracts.topic.Topics;
import io.fxflink.executor.context.PlatformServices;
import io.fxflink.executor.context.ServiceState;
import io.fxflink.executor.context.StepRunner;
import io.fxflink.executor.dispatch.ExecutionConsumer;
import io.fxflink.executor.dispatch.ExecutionRunner;
import io.fxflink.executor.dispatch.RunLedger;
import io.fxflink.executor.dispatch.ServiceLimits;
import io.fxflink.executor.jvm.JvmServiceRunner;
import io.fxflink.executor.ops.ExecutorMetrics;
import io.fxflink.executor.ops.HealthServer;
import io.fxflink.executor.ops.MetricsPublisher;
import io.fxflink.executor.ops.OpsPublisher;
import io.fxflink.executor.pkg.PackageStore;
import io.fxflink.executor.pkg.SafeUnzip;
import io.fxflink.executor.python.PythonRuntime;
import io.fxflink.executor.python.PythonWorkerPool;
import io.fxflink.executor.schedule.ScheduledRunPublisher;
import io.fxflink.executor.schedule.ScheduledRuns;
import io.fxflink.executor.storage.ObjectStorage;
import io.fxflink.schema.FxSchema;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minio.MinioClient;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The executor process, wired from {@link ExecutorOptions}: start() and close(). */
public final class ExecutorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorApp.class);

    private final ExecutorOptions options;
    private HikariDataSource dataSource;
    private ConfigStores stores;
    private MinioClient minio;
    private KafkaProducer<byte[], byte[]> producer;
    private PythonWorkerPool python;
    private JvmServiceRunner jvm;
    private ExecutorService runnerThreads;
    private ScheduledExecutorService timers;
    private ScheduledExecutorService background;
    private ExecutionConsumer consumer;
    private Thread pollThread;
    private HealthServer health;
    private ExecutorMetrics metrics;

    public ExecutorApp(ExecutorOptions options) {
        this.options = options;
    }

    /** Blocks until the poll loop ends: after {@link #close()}, or because it failed. */
    public void awaitPollLoopEnd() throws InterruptedException {
        pollThread.join();
    }

    public ExecutorApp start(Map<String, String> env) throws Exception {
        FxSchema.migrate(options.pgUrl(), options.pgUser(), options.pgPassword());
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(options.pgUrl());
        hc.setUsername(options.pgUser());
        hc.setPassword(options.pgPassword());
        // every running execution (Python and JVM) holds a connection for its ledger writes while
        // its context calls (state, config, secrets) may need one too: sized from the runners,
        // not from the Python workers only (executions queued for connections). Opened on demand.
        hc.setMaximumPoolSize(Math.min(32, options.pythonWorkers() + options.jvmThreads() + 4));
        hc.setMinimumIdle(2);
        hc.setPoolName("fx-executor");
        dataSource = new HikariDataSource(hc);
        stores = ConfigStores.fromEnvironment(env, () -> dataSource);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", options.kafkaBootstrap()))) {
            new TopicProvisioner(admin, Optional.empty()).ensure(Topics.specs(options.topics()));
        }
        minio =
                MinioClient.builder()
                        .endpoint(options.s3Endpoint())
                        .credentials(options.s3AccessKey(), options.s3SecretKey())
                        .build();
        Files.createDirectories(options.workDir());
        ObjectMapper json = new ObjectMapper();
        timers = Executors.newScheduledThreadPool(1, daemon("fx-timers"));
        python =
                new PythonWorkerPool(
                        new PythonWorkerPool.Settings(
                                options.pythonWorkers(),
                                options.maxRunsPerWorker(),
                                options.pythonWarmPerWorker(),
                                options.maxOutputBytes(),
                                options.memoryMb()),
                        PythonRuntime.install(
                                options.python(),
                                options.workDir(),
                                io.fxflink.executor.python.PythonSandbox.detect(
                                        env.getOrDefault("FX_PYTHON_SANDBOX", "bwrap"),
                                        io.fxflink.executor.python.PythonSandbox.Limits
                                                .defaults())),
                        options.workDir(),
                        json,
                        timers);
        producer = new KafkaProducer<>(producerProps());
        OpsPublisher ops = new OpsPublisher(producer, options.topics());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        registry.gauge("fx.executor.python.idle", python, p -> p.idle());
        metrics = new ExecutorMetrics(registry);
        jvm =
                new JvmServiceRunner(
                        new JvmServiceRunner.Settings(
                                options.jvmThreads(),
                                options.jvmAbandonGraceMs(),
                                options.jvmMaxAbandoned(),
                                options.maxCachedPackages()),
                        json);
        registry.gauge("fx.executor.jvm.idle", jvm, j -> j.idle());
        registry.gauge("fx.executor.jvm.abandoned", jvm, j -> j.abandonedAlive());
        ServiceLimits limits = new ServiceLimits();
        Map<ServiceRuntime, StepRunner> runners =
                Map.of(ServiceRuntime.PYTHON, python, ServiceRuntime.JVM, jvm);
        PlatformServices services =
                new PlatformServices(
                        stores.config(),
                        stores.secrets(),
                        new ServiceState(dataSource),
                        new ObjectStorage(
                                minio,
                                java.util.Set.of(options.packageBucket()),
                                options.storageMaxObjectBytes()),
                        new ScheduledRuns(dataSource));
        ExecutionRunner runner =
                new ExecutionRunner(
                        options.executorId(),
                        new RunLedger(dataSource),
                        new PackageStore(
                                minio,
                                options.packageBucket(),
                                options.workDir().resolve("packages"),
                                new SafeUnzip(SafeUnzip.Limits.defaults()),
                                options.maxCachedPackages()),
                        runners,
                        ops,
                        services,
                        limits,
                        metrics,
                        json,
                        Clock.systemUTC());
        Map<ServiceRuntime, Integer> slots =
                Map.of(
                        ServiceRuntime.PYTHON,
                        options.pythonWorkers(),
                        ServiceRuntime.JVM,
                        options.jvmThreads());
        int threads = options.pythonWorkers() + options.jvmThreads();
        runnerThreads = Executors.newFixedThreadPool(threads, daemon("fx-run"));
        consumer =
                new ExecutionConsumer(
                        new KafkaConsumer<>(consumerProps()),
                        options.topics().executions(),
                        runner,
                        ops,
                        runnerThreads,
                        slots,
                        options.maxInFlight(),
                        limits,
                        Clock.systemUTC());
        registry.gauge("fx.executor.in.flight", consumer, c -> c.inFlight());
        registry.gauge("fx.executor.queue.depth", consumer, c -> c.queued());
        // not on `timers`: a slow Kafka ack must not delay the Python watchdogs
        background = Executors.newScheduledThreadPool(2, daemon("fx-background"));
        background.scheduleWithFixedDelay(
                new ScheduledRunPublisher(dataSource, ops),
                options.schedulerPollMs(),
                options.schedulerPollMs(),
                TimeUnit.MILLISECONDS);
        ExecutionConsumer c = consumer;
        background.scheduleAtFixedRate(
                new MetricsPublisher(
                        options.executorId(),
                        new MetricsPublisher.Sources(
                                metrics::finishedTotal,
                                Map.of(
                                        "python",
                                        () -> python.capacity() - python.idle(),
                                        "jvm",
                                        () -> jvm.capacity() - jvm.idle()),
                                Map.of("python", python.capacity(), "jvm", jvm.capacity()),
                                c::queued,
                                c::inFlight),
                        ops,
                        Clock.systemUTC()),
                options.metricsIntervalMs(),
                options.metricsIntervalMs(),
                TimeUnit.MILLISECONDS);
        pollThread = new Thread(consumer, "fx-executions-poll");
        pollThread.setUncaughtExceptionHandler(
                (t, e) ->
                        LOG.error("the executions poll loop failed; nothing more is consumed", e));
        pollThread.start();
        health =
                new HealthServer(
                        options.healthPort(),
                        registry,
                        () -> consumer.healthy() && python.capacity() > 0 && jvm.healthy(),
                        () ->
                                "\"executorId\":\""
                                        + options.executorId()
                                        + "\",\"pythonIdle\":"
                                        + python.idle()
                                        + ",\"jvmIdle\":"
                                        + jvm.idle()
                                        + ",\"jvmAbandoned\":"
                                        + jvm.abandonedAlive()
                                        + ",\"queued\":"
                                        + consumer.queued()
                                        + ",\"inFlight\":"
                                        + consumer.inFlight());
        LOG.info(
                "executor {} consuming {} (group {}), health on :{}",
                options.executorId(),
                options.topics().executions(),
                options.consumerGroup(),
                health.port());
        return this;
    }

    /** Requests held without a durable outcome (for tests and health). */
    public int inFlightForTests() {
        return consumer.inFlight();
    }

    /** Duplicate requests recognised so far. */
    public double duplicatesForTests() {
        return metrics.registry().counter("fx.executor.duplicates").count();
    }

    public int healthPort() {
        return health.port();
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, options.maxInFlight()));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, options.kafkaSessionTimeoutMs());
        p.put(
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                Math.max(1000, options.kafkaSessionTimeoutMs() / 5));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() throws Exception {
        if (consumer != null) {
            consumer.close();
            pollThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (health != null) {
            health.close();
        }
        if (background != null) {
            background.shutdownNow();
        }
        if (runnerThreads != null) {
            runnerThreads.shutdownNow();
        }
        if (python != null) {
            python.close();
        }
        if (jvm != null) {
            jvm.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (minio != null) {
            minio.close();
        }
        if (stores != null) {
            stores.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
