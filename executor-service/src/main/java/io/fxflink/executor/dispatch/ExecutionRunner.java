package io.fxflink.executor.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.OpsRecordIds;
import io.fxflink.executor.context.ExecutionCalls;
import io.fxflink.executor.context.PlatformServices;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.context.StepRunner;
import io.fxflink.executor.ops.ExecutorMetrics;
import io.fxflink.executor.ops.OpsPublisher;
import io.fxflink.executor.pkg.PackageException;
import io.fxflink.executor.pkg.PackageStore;
import io.fxflink.executor.pkg.ServicePackage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of one execution and makes its outcome durable in this order: emitted events,
 * log and lifecycle records acknowledged by Kafka; the outcome row committed in PostgreSQL; the
 * terminal lifecycle record (and dead letter) acknowledged, and the row marked published. Only then
 * does the consumer commit the offset, so a crash at any point re-delivers the request and loses
 * nothing; a crash after the row was committed publishes the recorded outcome instead of running
 * the execution again.
 */
public final class ExecutionRunner implements ExecutionAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRunner.class);
    private static final long KAFKA_ACK_TIMEOUT_MS = 60_000;
    private static final long MAX_BACKOFF_MS = 10 * 60_000;

    private final String executorId;
    private final RunLedger ledger;
    private final PackageStore packages;
    private final Map<ServiceRuntime, StepRunner> runners;
    private final OpsPublisher ops;
    private final PlatformServices services;
    private final ServiceLimits limits;
    private final ExecutorMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock;

    public ExecutionRunner(
            String executorId,
            RunLedger ledger,
            PackageStore packages,
            Map<ServiceRuntime, StepRunner> runners,
            OpsPublisher ops,
            PlatformServices services,
            ServiceLimits limits,
            ExecutorMetrics metrics,
            ObjectMapper json,
            Clock clock) {
        this.executorId = executorId;
        this.ledger = ledger;
        this.packages = packages;
        this.runners = runners;
        this.ops = ops;
        this.services = services;
        this.limits = limits;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param retryAttempt 0 for a request just taken from Kafka, else the attempt a retry runs
     */
    @Override
    public Decision run(
            ExecutionRequest req, ConsumerRecord<byte[], byte[]> record, int retryAttempt)
            throws Exception {
        // also for retries: an infrastructure failure after the outcome was recorded brings the
        // request back here, and it must not run again
        Optional<RunLedger.Completion> done = ledger.completion(req.executionId());
        if (done.isPresent() && done.get().published()) {
            LOG.info(
                    "execution {} already completed ({}); duplicate request ignored",
                    req.executionId(),
                    done.get().status());
            metrics.duplicate();
            return new Decision.Done();
        }
        if (done.isPresent()) {
            LOG.warn(
                    "execution {} completed ({}) but its outcome was not published (executor"
                            + " stopped or Kafka failed); publishing the recorded outcome, not"
                            + " running it again",
                    req.executionId(),
                    done.get().status());
            publishOutcome(req, record, done.get());
            metrics.republished();
            return new Decision.Done();
        }
        int attempt;
        if (retryAttempt == 0) {
            attempt = ledger.claim(req.executionId(), req.service(), req.attempt(), executorId);
            if (attempt > req.attempt()) {
                LOG.warn(
                        "execution {} was in flight on an executor that did not finish it; running"
                                + " it again as attempt {}",
                        req.executionId(),
                        attempt);
            }
        } else {
            attempt = retryAttempt;
            ledger.updateAttempt(req.executionId(), attempt);
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        Instant started = clock.instant();
        if (attempt == req.attempt() && retryAttempt == 0) {
            sends.add(
                    ops.lifecycle(lifecycle(req, attempt, 0, ExecutionStatus.QUEUED, null, null)));
        }
        sends.add(ops.lifecycle(lifecycle(req, attempt, 1, ExecutionStatus.STARTED, null, null)));

        StepOutcome outcome;
        boolean retryable = true;
        ExecutionCalls calls = null;
        try {
            ServicePackage pkg = packages.get(req.packageRef());
            limits.learn(req.service(), pkg.manifest().concurrency());
            calls =
                    new ExecutionCalls(
                            req,
                            attempt,
                            pkg.manifest().configDefaults(),
                            ops,
                            services,
                            json,
                            clock);
            outcome = runSteps(req, attempt, pkg, calls, started);
        } catch (PackageException e) {
            outcome = StepOutcome.failed(e.getMessage());
            retryable = e.retryable();
        }
        if (calls != null) {
            sends.addAll(calls.sends());
        }
        // millisecond precision: the recorded outcome is published again identical if need be
        Instant finished = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long durationMs = Math.max(0, finished.toEpochMilli() - started.toEpochMilli());
        metrics.finished(req.service(), outcome.kind().name(), durationMs);
        RunLedger.Completion completion;
        if (outcome.ok()) {
            completion =
                    new RunLedger.Completion(
                            ExecutionStatus.SUCCEEDED.name(),
                            attempt,
                            finished,
                            durationMs,
                            null,
                            false);
        } else {
            ExecutionStatus failed =
                    outcome.kind() == StepOutcome.Kind.TIMED_OUT
                            ? ExecutionStatus.TIMED_OUT
                            : ExecutionStatus.FAILED;
            sends.add(
                    ops.lifecycle(lifecycle(req, attempt, 2, failed, durationMs, outcome.error())));
            if (retryable && attempt <= req.retries()) {
                long backoff = backoffMs(req.retryBackoffMs(), attempt);
                sends.add(
                        ops.lifecycle(
                                lifecycle(
                                        req,
                                        attempt,
                                        3,
                                        ExecutionStatus.RETRYING,
                                        durationMs,
                                        "attempt "
                                                + (attempt + 1)
                                                + " in "
                                                + backoff
                                                + " ms after: "
                                                + outcome.error())));
                OpsPublisher.awaitAll(sends, KAFKA_ACK_TIMEOUT_MS);
                return new Decision.RetryAt(clock.instant().plusMillis(backoff), attempt + 1);
            }
            completion =
                    new RunLedger.Completion(
                            ExecutionStatus.DEAD.name(),
                            attempt,
                            finished,
                            durationMs,
                            outcome.error(),
                            false);
        }
        // the run's events, logs and lifecycle so far are in Kafka before the outcome is recorded,
        // and the outcome is recorded before it is published: a crash in between never lets the
        // execution run to its outcome twice (the recorded one is published on redelivery)
        OpsPublisher.awaitAll(sends, KAFKA_ACK_TIMEOUT_MS);
        ledger.complete(req.executionId(), req.service(), completion, executorId);
        publishOutcome(req, record, completion);
        return new Decision.Done();
    }

    /** Sends the terminal lifecycle record (and dead letter), then marks the outcome published. */
    private void publishOutcome(
            ExecutionRequest req,
            ConsumerRecord<byte[], byte[]> record,
            RunLedger.Completion completion)
            throws Exception {
        ExecutionStatus status = ExecutionStatus.valueOf(completion.status());
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        sends.add(
                ops.lifecycle(
                        lifecycle(
                                req,
                                completion.attempt(),
                                4,
                                status,
                                completion.durationMs(),
                                completion.error(),
                                completion.finishedAt())));
        if (status == ExecutionStatus.DEAD) {
            String reason =
                    "execution "
                            + req.executionId()
                            + " of "
                            + req.service()
                            + " is dead after attempt "
                            + completion.attempt()
                            + ": "
                            + completion.error();
            sends.add(ops.deadLetter(deadLetter(reason, record, completion.finishedAt())));
        }
        OpsPublisher.awaitAll(sends, KAFKA_ACK_TIMEOUT_MS);
        ledger.markPublished(req.executionId());
    }

    private StepOutcome runSteps(
            ExecutionRequest req,
            int attempt,
            ServicePackage pkg,
            ExecutionCalls calls,
            Instant started)
            throws PackageException {
        ServiceRuntime runtime =
                "jvm".equals(pkg.manifest().runtime()) ? ServiceRuntime.JVM : ServiceRuntime.PYTHON;
        StepRunner runner = runners.get(runtime);
        if (runner == null) {
            throw new PackageException(
                    "this executor does not run " + runtime + " services", false);
        }
        JsonNode params = params(req.triggerEvent());
        JsonNode trigger = triggerJson(req.triggerEvent());
        for (String step : pkg.manifest().steps()) {
            long left = req.timeoutMs() - (clock.millis() - started.toEpochMilli());
            if (left <= 0) {
                return StepOutcome.timedOut(
                        "the execution did not finish within " + req.timeoutMs() + " ms");
            }
            calls.step(step.isEmpty() ? "main" : step);
            StepInput input =
                    new StepInput(
                            req.executionId(),
                            req.service(),
                            req.serviceVersion(),
                            pkg.sha256(),
                            attempt,
                            params,
                            trigger,
                            left,
                            ExecutionCalls.projectOf(req));
            StepOutcome outcome;
            try {
                outcome = runner.run(pkg, step, input, calls);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StepOutcome.failed("the executor is shutting down");
            }
            if (!outcome.ok()) {
                calls.log(
                        LogLevel.ERROR,
                        "fx",
                        "step " + step + " failed: " + outcome.error(),
                        false);
                return new StepOutcome(outcome.kind(), "step '" + step + "': " + outcome.error());
            }
        }
        return StepOutcome.succeeded();
    }

    private JsonNode params(TriggerEvent event) {
        byte[] data = event.data();
        if (data == null || data.length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(data);
        } catch (Exception e) {
            return json.getNodeFactory()
                    .textNode(new String(data, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private JsonNode triggerJson(TriggerEvent event) {
        ObjectNode n = json.createObjectNode();
        n.put("id", event.id());
        n.put("source", event.source());
        n.put("type", event.type());
        n.put("subject", event.subject());
        n.put("time", event.time() == null ? null : event.time().toString());
        n.put("datacontenttype", event.datacontenttype());
        n.set("extensions", json.valueToTree(event.extensions()));
        return n;
    }

    static long backoffMs(long base, int attempt) {
        long b = Math.max(0, base);
        for (int i = 1; i < attempt && b < MAX_BACKOFF_MS; i++) {
            b *= 2;
        }
        return Math.min(b, MAX_BACKOFF_MS);
    }

    private ExecutionLifecycleRecord lifecycle(
            ExecutionRequest req,
            int attempt,
            int step,
            ExecutionStatus status,
            Long durationMs,
            String error) {
        return lifecycle(req, attempt, step, status, durationMs, error, clock.instant());
    }

    private ExecutionLifecycleRecord lifecycle(
            ExecutionRequest req,
            int attempt,
            int step,
            ExecutionStatus status,
            Long durationMs,
            String error,
            Instant time) {
        long seq = attempt * 10L + step;
        String err =
                error == null || error.length() <= ExecutionLifecycleRecord.MAX_ERROR_CHARS
                        ? error
                        : error.substring(0, ExecutionLifecycleRecord.MAX_ERROR_CHARS);
        return new ExecutionLifecycleRecord(
                OpsRecordIds.lifecycle(req.executionId(), seq),
                req.executionId(),
                req.service(),
                req.serviceVersion(),
                status,
                attempt,
                seq,
                time,
                durationMs,
                req.triggerEvent().id(),
                req.triggerEvent().type(),
                req.triggerEvent().extension(FxExtensions.CAUSATION_ID).orElse(null),
                FxExtensions.rootId(req.triggerEvent()),
                req.causationDepth(),
                err,
                executorId);
    }

    private DeadLetterRecord deadLetter(
            String reason, ConsumerRecord<byte[], byte[]> r, Instant time) {
        return DeadLetterRecord.ofConsumed(
                DeadLetterStage.EXECUTOR,
                reason,
                r.topic(),
                r.partition(),
                r.offset(),
                time,
                r.key(),
                r.value(),
                Map.of());
    }
}
