package io.fxflink.manager.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The one model of a component's health, in {@code /health} and {@code fx status}: a status, a
 * short reason (why it is not UP, or what was seen), how long the probe took and the figures the
 * verdict rests on (TaskManagers, job states, checkpoint ages, consumer lag).
 */
public record ComponentHealth(
        Status status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        long millis,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> details) {

    /** Ordered from best to worst; the overall status is the worst of the components'. */
    public enum Status {
        UP,
        /** Not configured: the manager runs without it (counts as DEGRADED overall). */
        DISABLED,
        DEGRADED,
        DOWN;

        Status worse(Status other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    public ComponentHealth {
        details =
                details == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(
                                new java.util.LinkedHashMap<>(details));
    }

    public static ComponentHealth up(String reason, Map<String, Object> details) {
        return new ComponentHealth(Status.UP, reason, 0, details);
    }

    public static ComponentHealth of(Status status, String reason, Map<String, Object> details) {
        return new ComponentHealth(status, reason, 0, details);
    }

    public static ComponentHealth down(String reason) {
        return new ComponentHealth(Status.DOWN, reason, 0, Map.of());
    }

    ComponentHealth withMillis(long ms) {
        return new ComponentHealth(status, reason, ms, details);
    }

    /** The reason again under its older name, for clients that read {@code error}. */
    @JsonProperty("error")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String error() {
        return status == Status.UP ? null : reason;
    }
}
