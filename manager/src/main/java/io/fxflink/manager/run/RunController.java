package io.fxflink.manager.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Http;
import io.fxflink.manager.api.Json;
import io.javalin.http.Context;
import java.io.IOException;

/** {@code POST /api/v1/services/{name}/runs}: body = run parameters (a JSON object, optional). */
public final class RunController {
    private final RunService service;

    public RunController(RunService service) {
        this.service = service;
    }

    public void run(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > 0) {
            try {
                JsonNode node = Json.mapper().readTree(body);
                if (node == null || !node.isObject()) {
                    throw ApiException.badRequest("run parameters must be a JSON object");
                }
            } catch (IOException e) {
                throw ApiException.badRequest(
                        "run parameters are not valid JSON: " + e.getMessage());
            }
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
