package io.fxflink.manager.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One row of the {@code executions} table. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionView(
        String executionId,
        String service,
        String serviceVersion,
        String status,
        int attempt,
        String triggerEventId,
        String triggerEventType,
        String causationId,
        String rootEventId,
        Integer causationDepth,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String error,
        String executorId,
        Instant updatedAt) {}
