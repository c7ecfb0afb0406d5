package io.fxflink.contracts.ops;

/**
 * Deterministic record ids: replays of the same step produce the same id, so sinks that use them as
 * document/row ids overwrite instead of duplicating.
 */
public final class OpsRecordIds {
    private OpsRecordIds() {}

    /** {@code <executionId>/<attempt>/<sequence>} for a log line. */
    public static String log(String executionId, int attempt, long sequence) {
        return executionId + "/" + attempt + "/" + sequence;
    }

    /** {@code <executionId>/s<sequence>} for a lifecycle transition. */
    public static String lifecycle(String executionId, long sequence) {
        return executionId + "/s" + sequence;
    }

    /** {@code <topic>/<partition>/<offset>} for a dead letter of a consumed record. */
    public static String deadLetter(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }
}
