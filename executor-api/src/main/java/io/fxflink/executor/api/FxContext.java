package io.fxflink.executor.api;

import java.util.Map;

/**
 * What a running JVM service sees of the platform: the same surface as the Python {@code
 * fx_ef.context}. Every call may throw {@link FxCallException} with a message saying why the
 * platform refused it (invalid name, value too large, store unreachable).
 */
public interface FxContext {
    /** The trigger event's data as a JSON object (maps, lists, strings, numbers, booleans). */
    Map<String, Object> params();

    /** The trigger event's data as it arrived (JSON text; "{}" when there was none). */
    String paramsJson();

    /** Id of this execution (the same on every attempt). */
    String executionId();

    /** 1 for the first attempt, +1 for each retry. */
    int attempt();

    /** The name of the service (the package name). */
    String packageName();

    String packageVersion();

    /** The package's content hash. */
    String packageId();

    FxTriggerEvent triggerEvent();

    FxEvents events();

    FxConfig config();

    FxSecrets secrets();

    FxState state();

    FxLogger logger();

    FxStorage storage();

    FxScheduler scheduler();
}
