package io.fxflink.contracts.serde;

/**
 * A record that cannot be decoded or encoded. The message says which record type and what is wrong
 * (never a raw Jackson stack), so it can go into a dead-letter record or an HTTP 400 as it is.
 */
public final class InvalidRecordException extends RuntimeException {
    private final String recordType;

    public InvalidRecordException(String recordType, String problem) {
        this(recordType, problem, null);
    }

    public InvalidRecordException(String recordType, String problem, Throwable cause) {
        super("invalid " + recordType + ": " + problem, cause, false, false);
        this.recordType = recordType;
    }

    /** The record type, e.g. {@code Link} or {@code ExecutionRequest}. */
    public String recordType() {
        return recordType;
    }
}
