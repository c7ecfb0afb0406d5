package io.fxflink.manager.health;

/**
 * A graded probe of one component: UP, DEGRADED or DOWN with a reason. Throwing means DOWN with the
 * exception's message (the component could not be asked).
 */
@FunctionalInterface
public interface ComponentCheck extends AutoCloseable {
    ComponentHealth check() throws Exception;

    /** A yes/no readiness probe as a graded one: returns normally = UP, throws = DOWN. */
    static ComponentCheck of(HealthCheck probe) {
        return () -> {
            probe.check();
            return ComponentHealth.up(null, null);
        };
    }

    @Override
    default void close() {}
}
