package io.fxflink.manager.access;

import io.fxflink.manager.api.Http;
import io.javalin.http.Context;

/** HTTP for tokens and projects. */
public final class AccessController {
    private final AccessService service;

    public AccessController(AccessService service) {
        this.service = service;
    }

    public void listTokens(Context ctx) {
        ctx.json(service.listTokens(Http.principal(ctx)));
    }

    public void createToken(Context ctx) {
        ctx.status(201)
                .json(
                        service.createToken(
                                Http.principal(ctx), Http.body(ctx, CreateTokenRequest.class)));
    }

    public void revokeToken(Context ctx) {
        service.revoke(Http.principal(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    public void whoami(Context ctx) {
        ctx.json(Http.principal(ctx));
    }

    public void listProjects(Context ctx) {
        ctx.json(service.listProjects(Http.principal(ctx)));
    }

    public void createProject(Context ctx) {
        ctx.status(201)
                .json(
                        service.createProject(
                                Http.principal(ctx), Http.body(ctx, CreateProjectRequest.class)));
    }
}
