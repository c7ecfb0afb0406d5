package io.fxflink.contracts.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import java.time.Instant;

/**
 * One log line of one execution attempt.
 *
 * @param recordId {@link OpsRecordIds#log}(executionId, attempt, sequence)
 * @param sequence monotonic per execution attempt (orders lines with equal timestamps)
 * @param step the script/entrypoint that logged, nullable
 * @param truncated the message was cut to {@link #MAX_MESSAGE_CHARS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpsLogRecord(
        @JsonProperty(required = true) String recordId,
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) String service,
        @JsonProperty(required = true) String serviceVersion,
        @JsonProperty(required = true) int attempt,
        @JsonProperty(required = true) long sequence,
        String step,
        @JsonProperty(required = true) LogLevel level,
        @JsonProperty(required = true) Instant time,
        @JsonProperty(required = true) String message,
        boolean truncated) {

    public static final int MAX_MESSAGE_CHARS = 32 * 1024;

    public OpsLogRecord {
        Checks.recordId(recordId, "recordId");
        Checks.id(executionId, "executionId");
        Checks.name(service, "service");
        Checks.name(serviceVersion, "serviceVersion");
        Checks.range(attempt, 1, 1000, "attempt");
        Checks.range(sequence, 0, Long.MAX_VALUE, "sequence");
        Checks.optionalAttribute(step, "step", Checks.MAX_ID_CHARS);
        Checks.required(level, "level");
        Checks.time(time, "time");
        Checks.required(message, "message");
        // service output: kept, with what no store can hold replaced
        message = Checks.storable(message);
        Checks.optionalText(message, "message", MAX_MESSAGE_CHARS);
    }

    /** Builds the record with its deterministic id, cutting an over-long message. */
    public static OpsLogRecord of(
            String executionId,
            String service,
            String serviceVersion,
            int attempt,
            long sequence,
            String step,
            LogLevel level,
            Instant time,
            String message) {
        String msg = message == null ? "" : message;
        boolean cut = msg.length() > MAX_MESSAGE_CHARS;
        return new OpsLogRecord(
                OpsRecordIds.log(executionId, attempt, sequence),
                executionId,
                service,
                serviceVersion,
                attempt,
                sequence,
                step,
                level,
                time,
                cut ? msg.substring(0, MAX_MESSAGE_CHARS) : msg,
                cut);
    }
}
