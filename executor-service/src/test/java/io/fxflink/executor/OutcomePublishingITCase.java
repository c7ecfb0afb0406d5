package io.fxflink.executor;

import static io.fxflink.executor.ExecutorTestKit.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.executor.context.PlatformServices;
import io.fxflink.executor.context.ServiceState;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.context.StepRunner;
import io.fxflink.executor.dispatch.ExecutionAttempts;
import io.fxflink.executor.dispatch.ExecutionRunner;
import io.fxflink.executor.dispatch.RunLedger;
import io.fxflink.executor.dispatch.ServiceLimits;
import io.fxflink.executor.ops.ExecutorMetrics;
import io.fxflink.executor.ops.OpsPublisher;
import io.fxflink.executor.pkg.PackageStore;
import io.fxflink.executor.pkg.SafeUnzip;
import io.fxflink.executor.pkg.ServicePackage;
import io.fxflink.executor.schedule.ScheduledRuns;
import io.fxflink.schema.FxSchema;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The window between an execution's outcome and its publication: the run ledger (real PostgreSQL)
 * records the outcome before the terminal lifecycle record is sent. When that send never completes
 * (the executor died, or Kafka failed), the request coming again publishes the recorded outcome,
 * identical, and does not run the service a second time. Records go to the real Kafka, except the
 * terminal record, which fails as a lost broker connection would; packages come from the real S3.
 */
class OutcomePublishingITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.KAFKA, ServerKind.POSTGRES, ServerKind.S3);

    static ExecutorTestKit kit;
    static PGSimpleDataSource ds;
    static PackageRef pkg;

    final FailingProducer producer = new FailingProducer(SERVERS.kafkaBootstrap());
    final AtomicInteger runs = new AtomicInteger();
    volatile StepOutcome nextOutcome = StepOutcome.succeeded();
    ExecutionRunner runner;
    ExecutorMetrics metrics;

    @BeforeAll
    static void setUp() throws Exception {
        kit = new ExecutorTestKit(SERVERS);
        FxSchema.migrate(kit.db.url(), kit.db.user(), kit.db.password());
        ds = new PGSimpleDataSource();
        ds.setUrl(kit.db.url());
        ds.setUser(kit.db.user());
        ds.setPassword(kit.db.password());
        pkg =
                kit.upload(
                        Map.of(
                                "manifest.json",
                                utf8(
                                        "{\"name\": \"counted\", \"runtime\": \"jvm\","
                                                + " \"entrypoint\": \"com.example.Counted\"}")));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (kit != null) {
            kit.close();
        }
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @BeforeEach
    void newRunner() throws Exception {
        metrics = new ExecutorMetrics(new SimpleMeterRegistry());
        StepRunner counting =
                new StepRunner() {
                    @Override
                    public StepOutcome run(
                            ServicePackage p, String step, StepInput in, StepCallbacks cb) {
                        runs.incrementAndGet();
                        return nextOutcome;
                    }

                    @Override
                    public int idle() {
                        return 1;
                    }

                    @Override
                    public int capacity() {
                        return 1;
                    }

                    @Override
                    public void close() {}
                };
        runner =
                new ExecutionRunner(
                        "executor-under-test",
                        new RunLedger(ds),
                        new PackageStore(
                                kit.minio,
                                kit.bucket,
                                Files.createTempDirectory("fx-outcome-pkgs"),
                                new SafeUnzip(SafeUnzip.Limits.defaults()),
                                4),
                        Map.of(ServiceRuntime.JVM, counting),
                        new OpsPublisher(producer, kit.topics),
                        new PlatformServices(
                                null, null, new ServiceState(ds), null, new ScheduledRuns(ds)),
                        new ServiceLimits(),
                        metrics,
                        new ObjectMapper(),
                        Clock.systemUTC());
    }

    @Test
    void aSuccessRecordedButNotPublishedIsPublishedOnRedeliveryAndNotRunAgain() throws Exception {
        ExecutionRequest req = ExecutorTestKit.request("counted", ServiceRuntime.JVM, pkg, 2, "{}");
        ConsumerRecord<byte[], byte[]> record = consumed(req, 7);
        producer.failWhen(lifecycleWith(ExecutionStatus.SUCCEEDED));

        assertThatThrownBy(() -> runner.run(req, record, 0))
                .hasRootCauseInstanceOf(KafkaException.class);
        assertThat(runs).hasValue(1);
        assertThat(succeeded(req)).isEmpty();
        assertThat(new RunLedger(ds).completion(req.executionId()))
                .hasValueSatisfying(c -> assertThat(c.published()).isFalse());

        producer.failWhen(r -> false);
        assertThat(runner.run(req, record, 0)).isInstanceOf(ExecutionAttempts.Decision.Done.class);

        assertThat(runs).as("runs of the service").hasValue(1);
        assertThat(metrics.republishedTotal()).isEqualTo(1.0);
        List<ExecutionLifecycleRecord> succeeded = succeeded(req);
        assertThat(succeeded).hasSize(1);
        assertThat(succeeded.get(0).attempt()).isEqualTo(1);
        assertThat(succeeded.get(0).durationMs()).isNotNull();
        assertThat(started(req)).as("STARTED records").hasSize(1);
        assertThat(new RunLedger(ds).completion(req.executionId()))
                .hasValueSatisfying(c -> assertThat(c.published()).isTrue());

        // once published, the request coming again is a duplicate: nothing sent, nothing run
        int sentBefore = producer.sent();
        assertThat(runner.run(req, record, 0)).isInstanceOf(ExecutionAttempts.Decision.Done.class);
        assertThat(producer.sent()).isEqualTo(sentBefore);
        assertThat(runs).hasValue(1);
    }

    @Test
    void anInfrastructureRetryAfterTheOutcomeWasRecordedDoesNotRunARetryAttemptAgain()
            throws Exception {
        ExecutionRequest req = ExecutorTestKit.request("counted", ServiceRuntime.JVM, pkg, 2, "{}");
        ConsumerRecord<byte[], byte[]> record = consumed(req, 8);
        producer.failWhen(lifecycleWith(ExecutionStatus.SUCCEEDED));

        // attempt 2 (a retry after backoff) succeeds, but its outcome is not published
        assertThatThrownBy(() -> runner.run(req, record, 2))
                .hasRootCauseInstanceOf(KafkaException.class);
        producer.failWhen(r -> false);
        // the consumer tries the same retry again
        runner.run(req, record, 2);

        assertThat(runs).hasValue(1);
        assertThat(succeeded(req))
                .singleElement()
                .satisfies(r -> assertThat(r.attempt()).isEqualTo(2));
    }

    @Test
    void aDeadOutcomeRecordedButNotPublishedIsPublishedWithItsDeadLetterAndNotRunAgain()
            throws Exception {
        ExecutionRequest req = ExecutorTestKit.request("counted", ServiceRuntime.JVM, pkg, 0, "{}");
        ConsumerRecord<byte[], byte[]> record = consumed(req, 9);
        nextOutcome = StepOutcome.failed("boom");
        producer.failWhen(lifecycleWith(ExecutionStatus.DEAD));

        assertThatThrownBy(() -> runner.run(req, record, 0))
                .hasRootCauseInstanceOf(KafkaException.class);
        producer.failWhen(r -> false);
        runner.run(req, record, 0);

        assertThat(runs).hasValue(1);
        List<ExecutionLifecycleRecord> mine = lifecycle(req);
        assertThat(mine).filteredOn(r -> r.status() == ExecutionStatus.FAILED).hasSize(1);
        assertThat(mine)
                .filteredOn(r -> r.status() == ExecutionStatus.DEAD)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.attempt()).isEqualTo(1);
                            assertThat(r.error()).contains("boom");
                        });
        List<DeadLetterRecord> dead =
                published(kit.topics.deadLetter()).stream()
                        .map(r -> Codecs.DEAD_LETTER.decode(r.value()))
                        .filter(d -> d.reason().contains(req.executionId()))
                        .toList();
        // the dead letter was acknowledged before the DEAD record failed: published again, the
        // same record (same id and time), which the ops sink keeps once
        assertThat(dead).hasSize(2);
        assertThat(dead)
                .extracting(DeadLetterRecord::recordId, DeadLetterRecord::time)
                .containsOnly(tuple(dead.get(0).recordId(), dead.get(0).time()));
        DeadLetterRecord d = dead.get(1);
        assertThat(d.reason()).contains(req.executionId(), "boom");
        assertThat(d.offset()).isEqualTo(9);
        assertThat(d.originalValue()).isEqualTo(record.value());
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ExecutionRequest req, long offset) {
        return new ConsumerRecord<>(
                kit.topics.executions(),
                0,
                offset,
                utf8(req.service()),
                Codecs.EXECUTION_REQUEST.encode(req));
    }

    private static Predicate<ProducerRecord<byte[], byte[]>> lifecycleWith(ExecutionStatus s) {
        return r ->
                r.topic().equals(kit.topics.opsExecutions())
                        && Codecs.EXECUTION_LIFECYCLE.decode(r.value()).status() == s;
    }

    private List<ExecutionLifecycleRecord> lifecycle(ExecutionRequest req) {
        return published(kit.topics.opsExecutions()).stream()
                .map(r -> Codecs.EXECUTION_LIFECYCLE.decode(r.value()))
                .filter(r -> r.executionId().equals(req.executionId()))
                .toList();
    }

    private List<ExecutionLifecycleRecord> succeeded(ExecutionRequest req) {
        return lifecycle(req).stream()
                .filter(r -> r.status() == ExecutionStatus.SUCCEEDED)
                .toList();
    }

    private List<ExecutionLifecycleRecord> started(ExecutionRequest req) {
        return lifecycle(req).stream().filter(r -> r.status() == ExecutionStatus.STARTED).toList();
    }

    /** Every record of the topic that Kafka acknowledged so far, read to its end offsets. */
    private List<ConsumerRecord<byte[], byte[]>> published(String topic) {
        producer.flush();
        return io.fxflink.testsupport.TopicToEnd.read(SERVERS.kafkaBootstrap(), topic);
    }

    /**
     * The real Kafka producer, except that records matching the failure predicate fail as a lost
     * broker connection would, without reaching Kafka. Counts the records it handed to Kafka.
     */
    static final class FailingProducer extends KafkaProducer<byte[], byte[]> {
        private volatile Predicate<ProducerRecord<byte[], byte[]>> fail = r -> false;
        private final AtomicInteger sent = new AtomicInteger();

        FailingProducer(String bootstrap) {
            super(
                    Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
        }

        void failWhen(Predicate<ProducerRecord<byte[], byte[]>> p) {
            fail = p;
        }

        int sent() {
            return sent.get();
        }

        @Override
        public Future<RecordMetadata> send(
                ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (fail.test(record)) {
                KafkaException e = new KafkaException("broker connection lost (test)");
                callback.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
            sent.incrementAndGet();
            return super.send(record, callback);
        }
    }
}
