package io.fxflink.contracts.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import java.time.Instant;

/**
 * One lifecycle transition of an execution. Sinks upsert the execution row keyed by {@code
 * executionId} and keep the row with the highest {@code sequence}, so out-of-order delivery is
 * harmless.
 *
 * @param recordId {@link OpsRecordIds#lifecycle}(executionId, sequence)
 * @param sequence monotonic per execution across attempts
 * @param rootEventId id of the first event of the causation chain
 * @param error failure description for FAILED / TIMED_OUT / RETRYING / DEAD, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionLifecycleRecord(
        @JsonProperty(required = true) String recordId,
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) String service,
        @JsonProperty(required = true) String serviceVersion,
        @JsonProperty(required = true) ExecutionStatus status,
        @JsonProperty(required = true) int attempt,
        @JsonProperty(required = true) long sequence,
        @JsonProperty(required = true) Instant time,
        Long durationMs,
        @JsonProperty(required = true) String triggerEventId,
        @JsonProperty(required = true) String triggerEventType,
        String causationId,
        @JsonProperty(required = true) String rootEventId,
        int causationDepth,
        String error,
        String executorId) {

    public static final int MAX_ERROR_CHARS = 16 * 1024;

    public ExecutionLifecycleRecord {
        Checks.recordId(recordId, "recordId");
        Checks.id(executionId, "executionId");
        Checks.name(service, "service");
        Checks.name(serviceVersion, "serviceVersion");
        Checks.required(status, "status");
        Checks.range(attempt, 1, 1000, "attempt");
        Checks.range(sequence, 0, Long.MAX_VALUE, "sequence");
        Checks.time(time, "time");
        if (durationMs != null) {
            Checks.range(durationMs, 0, Long.MAX_VALUE, "durationMs");
        }
        Checks.id(triggerEventId, "triggerEventId");
        Checks.id(triggerEventType, "triggerEventType");
        Checks.optionalId(causationId, "causationId");
        Checks.id(rootEventId, "rootEventId");
        Checks.range(causationDepth, 0, 10_000, "causationDepth");
        // often the service's own exception text: kept, with what no store can hold replaced
        error = Checks.storable(error);
        Checks.optionalText(error, "error", MAX_ERROR_CHARS);
        Checks.optionalId(executorId, "executorId");
    }
}
