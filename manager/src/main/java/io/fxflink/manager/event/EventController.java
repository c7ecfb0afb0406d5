package io.fxflink.manager.event;

import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Http;
import io.javalin.http.Context;
import java.util.Map;

/** {@code POST /api/v1/events}: 202 with the ids of the accepted events. */
public final class EventController {
    private final EventIngressService service;

    public EventController(EventIngressService service) {
        this.service = service;
    }

    public void ingest(Context ctx) {
        if (ctx.contentLength() > service.maxBodyBytes()) {
            throw ApiException.tooLarge(
                    "request body is "
                            + ctx.contentLength()
                            + " bytes (max "
                            + service.maxBodyBytes()
                            + ")");
        }
        var ids = service.ingest(Http.principal(ctx), ctx.headerMap(), ctx.bodyAsBytes());
        ctx.status(202).json(Map.of("accepted", ids.size(), "ids", ids));
    }
}
