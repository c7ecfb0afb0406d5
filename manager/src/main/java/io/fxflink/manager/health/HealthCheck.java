package io.fxflink.manager.health;

/**
 * One dependency's readiness probe: returns normally when ready, throws with the reason. See {@link
 * ComponentCheck} for probes that can also say DEGRADED.
 */
@FunctionalInterface
public interface HealthCheck {
    void check() throws Exception;
}
