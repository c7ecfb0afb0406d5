package io.fxflink.manager.health;

import io.javalin.http.Context;
import java.util.Map;

/** {@code GET /health} (readiness, 503 when a dependency is down) and {@code /health/live}. */
public final class HealthController {
    private final HealthService service;

    public HealthController(HealthService service) {
        this.service = service;
    }

    public void readiness(Context ctx) {
        HealthService.Health h = service.readiness();
        ctx.status(h.up() ? 200 : 503).json(h);
    }

    public void liveness(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }
}
