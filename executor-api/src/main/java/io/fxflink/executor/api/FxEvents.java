package io.fxflink.executor.api;

/**
 * Emits CloudEvents to the platform's events topic. Each event carries the causation of this
 * execution (fxcausationid, fxexecutionid, fxdepth + 1, traceparent) and a deterministic id, so a
 * re-run after a crash emits the same ids.
 */
public interface FxEvents {
    /**
     * @param data anything JSON-serialisable (maps, lists, strings, numbers, records, null)
     * @return the event id
     */
    String send(String type, Object data);

    /**
     * @param source the event's source URI (null = {@code urn:fx:service:<name>})
     * @param referenceId optional; sent as the {@code fxreferenceid} extension
     */
    String send(String type, String source, Object data, String referenceId);
}
