package io.fxflink.router.routing;

import io.cloudevents.CloudEvent;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.contracts.execution.ExecutionIds;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.link.ServiceVersionSpec;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The routing decision, free of Flink: for one event and the current {@link LinkTable}, which
 * executions to request. Deterministic for the same event and table (except {@code createdAt} and
 * {@code deadline}, which count from {@code now}): execution ids derive from the event and the
 * link, and weighted version picks from the execution id.
 *
 * <ul>
 *   <li>Events deeper than {@code maxCausationDepth} are rejected (loop guard).
 *   <li>{@code fx.platform.manual} / {@code fx.platform.scheduled} go to the service named in
 *       {@code fxservice} (its {@code fxversion} or default version); manual runs only when the
 *       service allows manual triggering.
 *   <li>Other events: every enabled link whose type matches and whose filter is true.
 * </ul>
 */
public final class Router implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxCausationDepth;

    public Router(int maxCausationDepth) {
        if (maxCausationDepth < 0) {
            throw new IllegalArgumentException("maxCausationDepth must be >= 0");
        }
        this.maxCausationDepth = maxCausationDepth;
    }

    public RouteResult route(TriggerEvent event, LinkTable table, Instant now) {
        int depth;
        try {
            depth = FxExtensions.depth(event);
        } catch (IllegalArgumentException e) {
            return RouteResult.rejected(e.getMessage());
        }
        if (depth > maxCausationDepth) {
            return RouteResult.rejected(
                    "causation depth "
                            + depth
                            + " exceeds the maximum of "
                            + maxCausationDepth
                            + " (event loop cut off)");
        }
        if (PlatformEventTypes.isDirectTrigger(event.type())) {
            return routeDirect(event, depth, table, now);
        }
        return routeLinks(event, depth, table, now);
    }

    private RouteResult routeDirect(TriggerEvent event, int depth, LinkTable table, Instant now) {
        Optional<String> target = event.extension(FxExtensions.TARGET_SERVICE);
        if (target.isEmpty() || target.get().isBlank()) {
            return RouteResult.rejected(
                    event.type() + " event has no '" + FxExtensions.TARGET_SERVICE + "' extension");
        }
        String service = target.get();
        Optional<ServiceConfig> config = table.service(service);
        if (config.isEmpty()) {
            return RouteResult.rejected("unknown service '" + service + "'");
        }
        ServiceConfig cfg = config.get();
        if (PlatformEventTypes.MANUAL.equals(event.type()) && !cfg.allowManualTriggering()) {
            return RouteResult.rejected(
                    "service '" + service + "' does not allow manual triggering");
        }
        if (!cfg.active()) {
            return RouteResult.rejected("service '" + service + "' is not active");
        }
        String version = event.extension(FxExtensions.TARGET_VERSION).orElse(cfg.defaultVersion());
        if (version == null) {
            return RouteResult.rejected(
                    "service '" + service + "' has no default version and the event names none");
        }
        String executionId = ExecutionIds.forService(event.source(), event.id(), service);
        List<String> problems = new ArrayList<>(1);
        ExecutionRequest request =
                request(executionId, null, cfg, version, event, depth, now, problems);
        return new RouteResult(request == null ? List.of() : List.of(request), problems, 0);
    }

    private RouteResult routeLinks(TriggerEvent event, int depth, LinkTable table, Instant now) {
        List<CompiledLink> candidates = table.candidates(event.type());
        if (candidates.isEmpty()) {
            return new RouteResult(List.of(), List.of(), 0);
        }
        CloudEvent asCloudEvent = null;
        List<ExecutionRequest> requests = new ArrayList<>(candidates.size());
        List<String> problems = new ArrayList<>(0);
        int matched = 0;
        for (CompiledLink candidate : candidates) {
            if (candidate.hasFilter()) {
                if (asCloudEvent == null) {
                    asCloudEvent = event.toCloudEvent();
                }
                if (!candidate.accepts(asCloudEvent)) {
                    continue;
                }
            }
            matched++;
            Link link = candidate.link();
            Optional<ServiceConfig> config = table.service(link.service());
            if (config.isEmpty()) {
                problems.add("link '" + link.id() + "': unknown service '" + link.service() + "'");
                continue;
            }
            if (!config.get().active()) {
                problems.add(
                        "link '" + link.id() + "': service '" + link.service() + "' is not active");
                continue;
            }
            String executionId = ExecutionIds.of(event, link.id());
            String version = link.pickVersion(executionId);
            ExecutionRequest r =
                    request(
                            executionId,
                            link.id(),
                            config.get(),
                            version,
                            event,
                            depth,
                            now,
                            problems);
            if (r != null) {
                requests.add(r);
            }
        }
        return new RouteResult(requests, problems, matched);
    }

    private static ExecutionRequest request(
            String executionId,
            String linkId,
            ServiceConfig cfg,
            String version,
            TriggerEvent event,
            int depth,
            Instant now,
            List<String> problems) {
        String where = linkId == null ? "" : "link '" + linkId + "': ";
        Optional<ServiceVersionSpec> spec = cfg.spec(version);
        if (spec.isEmpty()) {
            problems.add(
                    where + "service '" + cfg.service() + "' has no version '" + version + "'");
            return null;
        }
        try {
            return ExecutionRequest.firstAttempt(
                            executionId,
                            linkId,
                            cfg.service(),
                            version,
                            spec.get(),
                            event,
                            depth,
                            event.extension(FxExtensions.TRACEPARENT).orElse(null),
                            now)
                    .withProject(cfg.project());
        } catch (IllegalArgumentException e) {
            problems.add(where + "cannot build the execution request: " + e.getMessage());
            return null;
        }
    }
}
