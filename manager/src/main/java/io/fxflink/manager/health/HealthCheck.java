package io.fxflink.manager.health;

/** One dependency's readiness probe: returns normally when ready, throws with the reason. */
@FunctionalInterface
public interface HealthCheck {
    void check() throws Exception;
}
