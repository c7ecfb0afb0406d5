package io.fxflink.contracts.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Something that could not be parsed, routed or executed, with the reason and the original bytes
 * (base64 in JSON). The original value is cut to {@link #MAX_ORIGINAL_BYTES} so the dead letter
 * itself always fits in a Kafka record; {@code originalValueSize} keeps the real size.
 *
 * @param sourceTopic null when the input did not come from Kafka (e.g. an HTTP request)
 * @param partition -1 when unknown
 * @param offset -1 when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterRecord(
        @JsonProperty(required = true) String recordId,
        @JsonProperty(required = true) DeadLetterStage stage,
        @JsonProperty(required = true) String reason,
        String sourceTopic,
        int partition,
        long offset,
        @JsonProperty(required = true) Instant time,
        byte[] originalKey,
        byte[] originalValue,
        int originalValueSize,
        boolean originalValueTruncated,
        Map<String, byte[]> originalHeaders) {

    public static final int MAX_ORIGINAL_BYTES = 256 * 1024;
    public static final int MAX_REASON_CHARS = 4096;
    private static final int MAX_HEADERS = 128;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    public DeadLetterRecord {
        Checks.recordId(recordId, "recordId");
        Checks.required(stage, "stage");
        // the reason often quotes the refused input: never let it refuse the dead letter itself
        reason = Checks.storable(reason);
        Checks.text(reason, "reason", MAX_REASON_CHARS);
        Checks.optionalText(sourceTopic, "sourceTopic", 249);
        Checks.range(partition, -1, Integer.MAX_VALUE, "partition");
        Checks.range(offset, -1, Long.MAX_VALUE, "offset");
        Checks.time(time, "time");
        if (originalKey != null && originalKey.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("field 'originalKey' is too large");
        }
        if (originalValue != null && originalValue.length > MAX_ORIGINAL_BYTES) {
            throw new IllegalArgumentException(
                    "field 'originalValue' is too large: " + originalValue.length + " bytes");
        }
        originalHeaders = Checks.map(originalHeaders, "originalHeaders", MAX_HEADERS);
        for (byte[] v : originalHeaders.values()) {
            if (v.length > MAX_HEADER_BYTES) {
                throw new IllegalArgumentException("field 'originalHeaders' has a value too large");
            }
        }
    }

    /**
     * Dead letter of a consumed Kafka record; cuts the value and drops oversize headers so it
     * always fits. Reason text longer than {@link #MAX_REASON_CHARS} is cut too.
     */
    public static DeadLetterRecord ofConsumed(
            DeadLetterStage stage,
            String reason,
            String topic,
            int partition,
            long offset,
            Instant time,
            byte[] key,
            byte[] value,
            Map<String, byte[]> headers) {
        String id =
                topic == null
                        ? UUID.randomUUID().toString()
                        : OpsRecordIds.deadLetter(topic, partition, offset);
        return new DeadLetterRecord(
                id,
                stage,
                clipReason(reason),
                topic,
                partition,
                offset,
                time,
                key == null || key.length <= MAX_HEADER_BYTES
                        ? key
                        : Arrays.copyOf(key, MAX_HEADER_BYTES),
                value == null || value.length <= MAX_ORIGINAL_BYTES
                        ? value
                        : Arrays.copyOf(value, MAX_ORIGINAL_BYTES),
                value == null ? 0 : value.length,
                value != null && value.length > MAX_ORIGINAL_BYTES,
                boundedHeaders(headers));
    }

    /** Dead letter of something that did not come from Kafka (e.g. an HTTP request body). */
    public static DeadLetterRecord ofPayload(
            DeadLetterStage stage, String reason, Instant time, byte[] value) {
        return ofConsumed(stage, reason, null, -1, -1, time, null, value, Map.of());
    }

    private static String clipReason(String reason) {
        String r = reason == null || reason.isBlank() ? "unknown reason" : reason;
        return r.length() <= MAX_REASON_CHARS ? r : r.substring(0, MAX_REASON_CHARS);
    }

    private static Map<String, byte[]> boundedHeaders(Map<String, byte[]> headers) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, byte[]> e : headers.entrySet()) {
                if (out.size() == MAX_HEADERS) {
                    break;
                }
                if (e.getKey() != null
                        && e.getKey().length() <= Checks.MAX_ID_CHARS
                        && e.getValue() != null
                        && e.getValue().length <= MAX_HEADER_BYTES) {
                    out.put(Checks.storable(e.getKey()), e.getValue());
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetterRecord d)) {
            return false;
        }
        if (d.originalHeaders.size() != originalHeaders.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : originalHeaders.entrySet()) {
            if (!Arrays.equals(e.getValue(), d.originalHeaders.get(e.getKey()))) {
                return false;
            }
        }
        return recordId.equals(d.recordId)
                && stage == d.stage
                && reason.equals(d.reason)
                && Objects.equals(sourceTopic, d.sourceTopic)
                && partition == d.partition
                && offset == d.offset
                && time.equals(d.time)
                && Arrays.equals(originalKey, d.originalKey)
                && Arrays.equals(originalValue, d.originalValue)
                && originalValueSize == d.originalValueSize
                && originalValueTruncated == d.originalValueTruncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(recordId, stage, reason, sourceTopic, partition, offset, time);
    }

    @Override
    public String toString() {
        return "DeadLetterRecord[recordId="
                + recordId
                + ", stage="
                + stage
                + ", reason="
                + reason
                + ", source="
                + sourceTopic
                + "/"
                + partition
                + "/"
                + offset
                + ", time="
                + time
                + ", value="
                + originalValueSize
                + " bytes]";
    }
}
