package io.fxflink.executor.api;

import java.util.Map;

/**
 * The CloudEvent that triggered the execution (its data is {@link FxContext#params()}).
 *
 * @param time ISO-8601 text, null when the event had none
 * @param extensions CloudEvents extension attributes as text (fxcausationid, fxdepth, ...)
 */
public record FxTriggerEvent(
        String id,
        String source,
        String type,
        String subject,
        String time,
        String dataContentType,
        Map<String, String> extensions) {
    public FxTriggerEvent {
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }
}
