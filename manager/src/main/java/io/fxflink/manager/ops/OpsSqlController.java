package io.fxflink.manager.ops;

import io.fxflink.manager.api.Http;
import io.javalin.http.Context;

/** {@code POST /api/v1/ops/sql} with {@code {"sql": "...", "limit": 100}}. */
public final class OpsSqlController {
    private final OpsSqlService service;

    public OpsSqlController(OpsSqlService service) {
        this.service = service;
    }

    public void query(Context ctx) {
        SqlRequest req = Http.body(ctx, SqlRequest.class);
        ctx.json(service.query(Http.principal(ctx), req.sql(), req.limit()));
    }

    record SqlRequest(String sql, Integer limit) {}
}
