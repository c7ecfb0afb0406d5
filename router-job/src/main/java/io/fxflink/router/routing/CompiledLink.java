package io.fxflink.router.routing;

import io.cloudevents.CloudEvent;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.Result;
import io.fxflink.contracts.link.CesqlFilters;
import io.fxflink.contracts.link.Link;

/**
 * A link with its CloudEvents SQL filter parsed once (per link version), ready to test events.
 *
 * @param filter null when the link has no filter
 */
public record CompiledLink(Link link, Expression filter) {

    public static CompiledLink compile(Link link) {
        return new CompiledLink(
                link, link.filter() == null ? null : CesqlFilters.parse(link.filter()));
    }

    public boolean hasFilter() {
        return filter != null;
    }

    /**
     * Whether the filter accepts the event. Only a result of {@code TRUE} matches: evaluation
     * errors (a missing attribute, a type mismatch) count as "no match", as CESQL prescribes, and
     * an exception from the evaluator never escapes (one broken filter must not stop routing).
     */
    public boolean accepts(CloudEvent event) {
        if (filter == null) {
            return true;
        }
        try {
            Result result = filter.evaluate(event);
            return Boolean.TRUE.equals(result.value());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
