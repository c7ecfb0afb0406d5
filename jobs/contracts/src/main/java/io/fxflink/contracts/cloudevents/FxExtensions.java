package io.fxflink.contracts.cloudevents;

import io.cloudevents.CloudEvent;
import io.fxflink.contracts.execution.TriggerEvent;
import java.util.List;

/**
 * CloudEvents extension attributes the platform sets. Names follow the spec: lowercase a-z0-9, at
 * most 20 characters. Events emitted by a service carry the causation attributes of the execution
 * that emitted them.
 */
public final class FxExtensions {
    /** Id of the event that caused this one (the trigger of the emitting execution). */
    public static final String CAUSATION_ID = "fxcausationid";

    /** Id of the execution that emitted this event. */
    public static final String EXECUTION_ID = "fxexecutionid";

    /** Number of executions in the causation chain; loops are cut off at a configured maximum. */
    public static final String DEPTH = "fxdepth";

    /** Id of the first (external) event of the causation chain. */
    public static final String ROOT_ID = "fxrootid";

    /** W3C trace context (the CloudEvents distributed tracing extension). */
    public static final String TRACEPARENT = "traceparent";

    /** Target service of a manual or scheduled trigger event. */
    public static final String TARGET_SERVICE = "fxservice";

    /** Optional target version of a manual trigger (default: the service's default version). */
    public static final String TARGET_VERSION = "fxversion";

    public static final List<String> ALL =
            List.of(
                    CAUSATION_ID,
                    EXECUTION_ID,
                    DEPTH,
                    ROOT_ID,
                    TRACEPARENT,
                    TARGET_SERVICE,
                    TARGET_VERSION);

    private FxExtensions() {}

    /** The causation depth; 0 when absent. Throws when present but not a non-negative integer. */
    public static int depth(CloudEvent event) {
        Object v = event.getExtension(DEPTH);
        return v == null ? 0 : parseDepth(v.toString());
    }

    public static int depth(TriggerEvent event) {
        return event.extension(DEPTH).map(FxExtensions::parseDepth).orElse(0);
    }

    /** The root event id: the {@link #ROOT_ID} extension, or the event itself when absent. */
    public static String rootId(TriggerEvent event) {
        return event.extension(ROOT_ID).orElse(event.id());
    }

    private static int parseDepth(String value) {
        try {
            int depth = Integer.parseInt(value.trim());
            if (depth >= 0) {
                return depth;
            }
        } catch (NumberFormatException e) {
            // fall through to the clear message below
        }
        throw new IllegalArgumentException(
                "extension '" + DEPTH + "' must be a non-negative integer, was '" + value + "'");
    }
}
