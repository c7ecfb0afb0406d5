package io.fxflink.manager.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A package's {@code manifest.json} (snake_case fields). Only {@code name}, {@code version}, {@code
 * runtime} and {@code scripts} are required; {@link ManifestParser} validates everything.
 *
 * @param scripts python: files in the package run in this order; jvm: classes (or files) to run
 * @param triggerEvents event types that trigger the service (a trailing {@code *} = prefix); each
 *     creates a default link
 * @param schedule cron expression (Unix, 5 fields) for scheduled runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String name,
        String version,
        String runtime,
        List<String> scripts,
        String description,
        String project,
        @JsonProperty("trigger_events") List<String> triggerEvents,
        String schedule,
        @JsonProperty("timeout_seconds") Integer timeoutSeconds,
        Integer retries,
        @JsonProperty("retry_backoff_seconds") Integer retryBackoffSeconds,
        Integer concurrency,
        Integer priority,
        @JsonProperty("allow_manual_triggering") Boolean allowManualTriggering,
        Map<String, String> config) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 300;

    public boolean manualTriggeringAllowed() {
        return allowManualTriggering == null || allowManualTriggering;
    }

    public List<String> triggerEventsOrEmpty() {
        return triggerEvents == null ? List.of() : triggerEvents;
    }
}
