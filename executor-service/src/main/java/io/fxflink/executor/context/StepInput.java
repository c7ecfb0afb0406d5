package io.fxflink.executor.context;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a step sees of its execution.
 *
 * @param params the trigger event's data as JSON (a JSON string node when it is not JSON)
 * @param triggerEvent the trigger event's attributes and extensions as JSON
 * @param project the execution's project: Python workers run one project's steps only
 */
public record StepInput(
        String executionId,
        String service,
        String serviceVersion,
        String packageId,
        int attempt,
        JsonNode params,
        JsonNode triggerEvent,
        long timeoutMs,
        String project) {

    /** A step of project {@code default}. */
    public StepInput(
            String executionId,
            String service,
            String serviceVersion,
            String packageId,
            int attempt,
            JsonNode params,
            JsonNode triggerEvent,
            long timeoutMs) {
        this(
                executionId,
                service,
                serviceVersion,
                packageId,
                attempt,
                params,
                triggerEvent,
                timeoutMs,
                ExecutionCalls.DEFAULT_PROJECT);
    }
}
