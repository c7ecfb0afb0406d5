package io.fxflink.manager.execution;

import java.time.Instant;

/** Filters of the executions list; null fields do not filter. */
record ExecutionFilter(
        String service,
        String status,
        Instant from,
        Instant to,
        String triggerEventId,
        String rootEventId,
        String causationId,
        int limit,
        int offset) {}
