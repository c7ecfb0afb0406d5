package io.fxflink.manager.link;

import io.fxflink.manager.api.Http;
import io.javalin.http.Context;

/** HTTP for links. */
public final class LinkController {
    private final LinkService service;

    public LinkController(LinkService service) {
        this.service = service;
    }

    public void list(Context ctx) {
        ctx.json(
                service.list(
                        Http.principal(ctx),
                        ctx.queryParam("service"),
                        ctx.queryParam("eventType")));
    }

    public void get(Context ctx) {
        ctx.json(service.get(Http.principal(ctx), ctx.pathParam("id")));
    }

    public void create(Context ctx) {
        ctx.status(201)
                .json(service.create(Http.principal(ctx), Http.body(ctx, LinkRequest.class)));
    }

    public void replace(Context ctx) {
        ctx.json(
                service.replace(
                        Http.principal(ctx),
                        ctx.pathParam("id"),
                        Http.body(ctx, LinkRequest.class)));
    }

    public void enable(Context ctx) {
        ctx.json(service.setEnabled(Http.principal(ctx), ctx.pathParam("id"), true));
    }

    public void disable(Context ctx) {
        ctx.json(service.setEnabled(Http.principal(ctx), ctx.pathParam("id"), false));
    }

    public void delete(Context ctx) {
        service.delete(Http.principal(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }
}
