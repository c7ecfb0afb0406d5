package io.fxflink.manager.execution;

import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Http;
import io.javalin.http.Context;
import java.util.Set;

/** HTTP for executions, their logs and causation chains. */
public final class ExecutionController {
    private static final Set<String> STATUSES =
            Set.of("QUEUED", "STARTED", "SUCCEEDED", "FAILED", "TIMED_OUT", "RETRYING", "DEAD");

    private final ExecutionService service;

    public ExecutionController(ExecutionService service) {
        this.service = service;
    }

    public void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null) {
            status = status.toUpperCase(java.util.Locale.ROOT);
            if (!STATUSES.contains(status)) {
                throw ApiException.badRequest(
                        "query parameter 'status' must be one of " + STATUSES);
            }
        }
        var from = Http.instantQuery(ctx, "from");
        var to = Http.instantQuery(ctx, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("'from' must be before 'to'");
        }
        ExecutionFilter f =
                new ExecutionFilter(
                        ctx.queryParam("service"),
                        status,
                        from,
                        to,
                        ctx.queryParam("triggerEventId"),
                        ctx.queryParam("rootEventId"),
                        ctx.queryParam("causationId"),
                        Http.intQuery(ctx, "limit", 100, 1, 500),
                        Http.intQuery(ctx, "offset", 0, 0, 100_000));
        ctx.json(service.list(Http.principal(ctx), f));
    }

    public void get(Context ctx) {
        ctx.json(service.get(Http.principal(ctx), ctx.pathParam("id")));
    }

    public void chain(Context ctx) {
        ctx.json(service.chain(Http.principal(ctx), ctx.pathParam("id")));
    }

    public void causedBy(Context ctx) {
        ctx.json(service.causedBy(Http.principal(ctx), ctx.pathParam("id")));
    }

    public void logs(Context ctx) {
        int from = Http.intQuery(ctx, "from", 0, 0, 10_000);
        int size = Http.intQuery(ctx, "size", 100, 1, 1000);
        if (from + size > 10_000) {
            throw ApiException.badRequest("from + size must be at most 10000");
        }
        var page =
                service.logs(
                        Http.principal(ctx),
                        ctx.pathParam("id"),
                        ctx.queryParam("level"),
                        from,
                        size);
        ctx.json(ExecutionService.page(page, from, size));
    }
}
