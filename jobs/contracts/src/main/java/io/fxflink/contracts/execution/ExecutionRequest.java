package io.fxflink.contracts.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.link.ServiceVersionSpec;
import java.time.Instant;

/**
 * One execution of one service version for one trigger event, as the router (or manager) asks the
 * executor for it. Keyed by {@link #partitionKey()} on the executions topic.
 *
 * @param linkId null for manual and scheduled runs
 * @param attempt 1 for the first run, +1 per retry
 * @param deadline the executor gives up on this attempt after it
 * @param causationDepth how many executions led to the trigger event (0 = external event)
 * @param traceparent W3C trace context, nullable
 * @param project the service's project: the executor resolves config, secrets and state in it; null
 *     only in requests from before the field existed (the executor then uses the platform's {@code
 *     default} project, never its own setting)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionRequest(
        @JsonProperty(required = true) String executionId,
        String linkId,
        @JsonProperty(required = true) String service,
        @JsonProperty(required = true) String serviceVersion,
        @JsonProperty(required = true) PackageRef packageRef,
        @JsonProperty(required = true) ServiceRuntime runtime,
        @JsonProperty(required = true) TriggerEvent triggerEvent,
        @JsonProperty(required = true) int attempt,
        @JsonProperty(required = true) Instant deadline,
        int causationDepth,
        String traceparent,
        int priority,
        @JsonProperty(required = true) long timeoutMs,
        int retries,
        long retryBackoffMs,
        @JsonProperty(required = true) Instant createdAt,
        String project) {

    public ExecutionRequest {
        Checks.optionalId(project, "project");
        Checks.id(executionId, "executionId");
        Checks.optionalId(linkId, "linkId");
        Checks.name(service, "service");
        Checks.name(serviceVersion, "serviceVersion");
        Checks.required(packageRef, "packageRef");
        Checks.required(runtime, "runtime");
        Checks.required(triggerEvent, "triggerEvent");
        Checks.range(attempt, 1, 1000, "attempt");
        Checks.required(deadline, "deadline");
        Checks.range(causationDepth, 0, 10_000, "causationDepth");
        Checks.optionalText(traceparent, "traceparent", 512);
        priority = priority == 0 ? ServiceVersionSpec.DEFAULT_PRIORITY : priority;
        Checks.range(priority, 1, 10, "priority");
        Checks.range(timeoutMs, 1, ServiceVersionSpec.MAX_TIMEOUT_MS, "timeoutMs");
        Checks.range(retries, 0, ServiceVersionSpec.MAX_RETRIES, "retries");
        Checks.range(retryBackoffMs, 0, ServiceVersionSpec.MAX_TIMEOUT_MS, "retryBackoffMs");
        Checks.required(createdAt, "createdAt");
    }

    /** A request without a project (see {@link #project()}). */
    public ExecutionRequest(
            String executionId,
            String linkId,
            String service,
            String serviceVersion,
            PackageRef packageRef,
            ServiceRuntime runtime,
            TriggerEvent triggerEvent,
            int attempt,
            Instant deadline,
            int causationDepth,
            String traceparent,
            int priority,
            long timeoutMs,
            int retries,
            long retryBackoffMs,
            Instant createdAt) {
        this(
                executionId,
                linkId,
                service,
                serviceVersion,
                packageRef,
                runtime,
                triggerEvent,
                attempt,
                deadline,
                causationDepth,
                traceparent,
                priority,
                timeoutMs,
                retries,
                retryBackoffMs,
                createdAt,
                null);
    }

    /** This request in {@code project}. */
    public ExecutionRequest withProject(String project) {
        return new ExecutionRequest(
                executionId,
                linkId,
                service,
                serviceVersion,
                packageRef,
                runtime,
                triggerEvent,
                attempt,
                deadline,
                causationDepth,
                traceparent,
                priority,
                timeoutMs,
                retries,
                retryBackoffMs,
                createdAt,
                project);
    }

    /** First attempt of {@code spec} for a trigger; deadline = now + timeout. */
    public static ExecutionRequest firstAttempt(
            String executionId,
            String linkId,
            String service,
            String serviceVersion,
            ServiceVersionSpec spec,
            TriggerEvent trigger,
            int causationDepth,
            String traceparent,
            Instant now) {
        return new ExecutionRequest(
                executionId,
                linkId,
                service,
                serviceVersion,
                new PackageRef(spec.packageKey(), spec.sha256()),
                spec.runtime(),
                trigger,
                1,
                now.plusMillis(spec.timeoutMs()),
                causationDepth,
                traceparent,
                spec.priority(),
                spec.timeoutMs(),
                spec.retries(),
                spec.retryBackoffMs(),
                now);
    }

    /** Kafka key: all requests of one service share a partition order. */
    public String partitionKey() {
        return service;
    }

    public boolean hasRetriesLeft() {
        return attempt <= retries;
    }

    /** The next attempt, with a fresh deadline counted from {@code now}. */
    public ExecutionRequest nextAttempt(Instant now) {
        return new ExecutionRequest(
                executionId,
                linkId,
                service,
                serviceVersion,
                packageRef,
                runtime,
                triggerEvent,
                attempt + 1,
                now.plusMillis(timeoutMs),
                causationDepth,
                traceparent,
                priority,
                timeoutMs,
                retries,
                retryBackoffMs,
                createdAt,
                project);
    }
}
