package io.fxflink.router.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.contracts.serde.JsonCodec;
import io.fxflink.contracts.serde.internal.JsonMappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Writes an {@link ExecutionRequest} as the exact bytes of {@code Codecs.EXECUTION_REQUEST.encode}
 * (same field order, null fields left out, ISO dates, base64 data), with a streaming generator
 * instead of Jackson's bean serializer: the router encodes one request per routed event, and bean
 * introspection, a serializer provider per call and the growing output buffer were ~15 % of the
 * routing thread (JFR). The data bytes go straight from the array into base64 in the output.
 *
 * <p>{@code ExecutionRequestJsonTest} holds it byte-identical to the codec (random requests) and
 * fails when the contract records gain a field this writer does not know. Thread-safe.
 */
public final class ExecutionRequestJson {
    private static final JsonCodec<ExecutionRequest> CODEC = Codecs.EXECUTION_REQUEST;
    // the contract mapper's factory: the same escaping and base64 variant as the codec
    private static final JsonFactory FACTORY = JsonMappers.strict().getFactory();

    // field names are pre-quoted once (the generator copies them as they are)
    private static final SerializableString SCHEMA_VERSION =
            new SerializedString(JsonCodec.SCHEMA_VERSION_FIELD);
    private static final SerializableString EXECUTION_ID = new SerializedString("executionId");
    private static final SerializableString LINK_ID = new SerializedString("linkId");
    private static final SerializableString SERVICE = new SerializedString("service");
    private static final SerializableString SERVICE_VERSION =
            new SerializedString("serviceVersion");
    private static final SerializableString PACKAGE_REF = new SerializedString("packageRef");
    private static final SerializableString OBJECT_KEY = new SerializedString("objectKey");
    private static final SerializableString SHA256 = new SerializedString("sha256");
    private static final SerializableString RUNTIME = new SerializedString("runtime");
    private static final SerializableString TRIGGER_EVENT = new SerializedString("triggerEvent");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString SOURCE = new SerializedString("source");
    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString SUBJECT = new SerializedString("subject");
    private static final SerializableString TIME = new SerializedString("time");
    private static final SerializableString DATA_CONTENT_TYPE =
            new SerializedString("datacontenttype");
    private static final SerializableString DATA_SCHEMA = new SerializedString("dataschema");
    private static final SerializableString DATA = new SerializedString("data");
    private static final SerializableString EXTENSIONS = new SerializedString("extensions");
    private static final SerializableString ATTEMPT = new SerializedString("attempt");
    private static final SerializableString DEADLINE = new SerializedString("deadline");
    private static final SerializableString CAUSATION_DEPTH =
            new SerializedString("causationDepth");
    private static final SerializableString TRACEPARENT = new SerializedString("traceparent");
    private static final SerializableString PRIORITY = new SerializedString("priority");
    private static final SerializableString TIMEOUT_MS = new SerializedString("timeoutMs");
    private static final SerializableString RETRIES = new SerializedString("retries");
    private static final SerializableString RETRY_BACKOFF_MS =
            new SerializedString("retryBackoffMs");
    private static final SerializableString CREATED_AT = new SerializedString("createdAt");
    private static final SerializableString PROJECT = new SerializedString("project");

    /** The record components this writer knows, in wire order (checked by the test). */
    static final String[] REQUEST_FIELDS = {
        "executionId", "linkId", "service", "serviceVersion", "packageRef", "runtime",
        "triggerEvent", "attempt", "deadline", "causationDepth", "traceparent", "priority",
        "timeoutMs", "retries", "retryBackoffMs", "createdAt", "project"
    };

    static final String[] TRIGGER_FIELDS = {
        "id",
        "source",
        "type",
        "subject",
        "time",
        "datacontenttype",
        "dataschema",
        "data",
        "extensions"
    };

    static final String[] PACKAGE_FIELDS = {"objectKey", "sha256"};

    /** Largest buffer a thread keeps between requests (a rare huge request is not pinned). */
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;

    // one output buffer per thread (the sink writer's): the only per-request array is the result
    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    private ExecutionRequestJson() {}

    /** The request's JSON, byte for byte what {@code Codecs.EXECUTION_REQUEST.encode} writes. */
    public static byte[] encode(ExecutionRequest r) {
        if (r == null) {
            throw new InvalidRecordException(CODEC.recordType(), "cannot encode null");
        }
        TriggerEvent t = r.triggerEvent();
        Buffer out = BUFFER.get();
        out.reset();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName(SCHEMA_VERSION);
            g.writeNumber(CODEC.schemaVersion());
            string(g, EXECUTION_ID, r.executionId());
            string(g, LINK_ID, r.linkId());
            string(g, SERVICE, r.service());
            string(g, SERVICE_VERSION, r.serviceVersion());
            g.writeFieldName(PACKAGE_REF);
            g.writeStartObject();
            string(g, OBJECT_KEY, r.packageRef().objectKey());
            string(g, SHA256, r.packageRef().sha256());
            g.writeEndObject();
            g.writeFieldName(RUNTIME);
            g.writeString(runtimeWire(r));
            g.writeFieldName(TRIGGER_EVENT);
            writeTrigger(g, t);
            g.writeFieldName(ATTEMPT);
            g.writeNumber(r.attempt());
            string(g, DEADLINE, r.deadline().toString()); // ISO-8601, as the codec's Instant
            g.writeFieldName(CAUSATION_DEPTH);
            g.writeNumber(r.causationDepth());
            string(g, TRACEPARENT, r.traceparent());
            g.writeFieldName(PRIORITY);
            g.writeNumber(r.priority());
            g.writeFieldName(TIMEOUT_MS);
            g.writeNumber(r.timeoutMs());
            g.writeFieldName(RETRIES);
            g.writeNumber(r.retries());
            g.writeFieldName(RETRY_BACKOFF_MS);
            g.writeNumber(r.retryBackoffMs());
            string(g, CREATED_AT, r.createdAt().toString());
            string(g, PROJECT, r.project());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        if (out.size() > CODEC.maxBytes()) {
            throw new InvalidRecordException(
                    CODEC.recordType(),
                    "encoded size "
                            + out.size()
                            + " bytes exceeds the limit of "
                            + CODEC.maxBytes());
        }
        byte[] bytes = out.toByteArray();
        if (out.capacity() > KEEP_BUFFER_BYTES) {
            BUFFER.remove();
        }
        return bytes;
    }

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(4096); // a 1 KiB event's request is ~1.7 KiB
        }

        int capacity() {
            return buf.length;
        }
    }

    private static void writeTrigger(JsonGenerator g, TriggerEvent t) throws IOException {
        g.writeStartObject();
        string(g, ID, t.id());
        string(g, SOURCE, t.source());
        string(g, TYPE, t.type());
        string(g, SUBJECT, t.subject());
        if (t.time() != null) {
            // the codec's OffsetDateTime format (not toString(): that drops ":00" seconds)
            string(g, TIME, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.time()));
        }
        string(g, DATA_CONTENT_TYPE, t.datacontenttype());
        string(g, DATA_SCHEMA, t.dataschema());
        if (t.data() != null) {
            g.writeFieldName(DATA);
            g.writeBinary(t.data()); // base64 straight from the array
        }
        g.writeFieldName(EXTENSIONS);
        g.writeStartObject();
        for (Map.Entry<String, String> e : t.extensions().entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeString(e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Null fields are left out (the records' {@code @JsonInclude(NON_NULL)}). */
    private static void string(JsonGenerator g, SerializableString name, String value)
            throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    private static String runtimeWire(ExecutionRequest r) {
        return switch (r.runtime()) {
            case PYTHON -> "python";
            case JVM -> "jvm";
        };
    }
}
