package io.fxflink.manager.run;

/** Answer to a manual run: the id of the trigger event (executions reference it). */
public record RunAccepted(String eventId, String service, String version, String eventType) {}
