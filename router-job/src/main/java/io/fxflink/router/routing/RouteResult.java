package io.fxflink.router.routing;

import io.fxflink.contracts.execution.ExecutionRequest;
import java.util.List;

/**
 * What one event produced: execution requests, and problems (each a one-line reason) that make the
 * event a dead letter. Both can be non-empty: one failing link never blocks the others.
 *
 * @param matchedLinks links whose type and filter matched (including those that failed)
 */
public record RouteResult(
        List<ExecutionRequest> requests, List<String> problems, int matchedLinks) {
    public RouteResult {
        requests = List.copyOf(requests);
        problems = List.copyOf(problems);
    }

    public static RouteResult rejected(String problem) {
        return new RouteResult(List.of(), List.of(problem), 0);
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** All problems in one line, for the dead-letter reason. */
    public String reason() {
        return String.join("; ", problems);
    }
}
