package io.fxflink.manager.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Http;
import io.javalin.http.Context;

/** {@code POST /api/v1/services/{name}/runs}: body = run parameters (a JSON object, optional). */
public final class RunController {
    private final RunService service;

    public RunController(RunService service) {
        this.service = service;
    }

    public void run(Context ctx) {
        byte[] body = Http.bodyBytes(ctx, Http.MAX_JSON_BODY_BYTES);
        JsonNode node = Http.json(body);
        if (node != null && !node.isObject()) {
            throw ApiException.badRequest("run parameters must be a JSON object");
        }
        if (node == null) {
            body = new byte[0];
        }
        ctx.status(202)
                .json(
                        service.run(
                                Http.principal(ctx),
                                ctx.pathParam("name"),
                                ctx.queryParam("version"),
                                body));
    }
}
