package io.fxflink.executor.context;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a step sees of its execution.
 *
 * @param params the trigger event's data as JSON (a JSON string node when it is not JSON)
 * @param triggerEvent the trigger event's attributes and extensions as JSON
 */
public record StepInput(
        String executionId,
        String service,
        String serviceVersion,
        String packageId,
        int attempt,
        JsonNode params,
        JsonNode triggerEvent,
        long timeoutMs) {}
