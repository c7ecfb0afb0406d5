package io.fxflink.manager.event;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudEvents over HTTP (binary and structured content modes through the SDK's HTTP binding, plus
 * the JSON batch format), validated and published to the events topic.
 */
public final class EventIngressService {
    private static final Logger LOG = LoggerFactory.getLogger(EventIngressService.class);
    public static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";

    /** Types only the platform emits (manual and scheduled triggers): clients use the runs API. */
    static final String RESERVED_TYPE_PREFIX = "fx.platform.";

    /**
     * Extensions only the platform sets: the target of a direct trigger and the causation
     * attributes of emitted events. {@code traceparent} is the client's own.
     */
    static final Set<String> RESERVED_EXTENSIONS =
            FxExtensions.ALL.stream()
                    .filter(n -> !n.equals(FxExtensions.TRACEPARENT))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** How much of a refused value an error message quotes. */
    private static final int SHOWN_CHARS = 300;

    private final EventPublisher publisher;
    private final int maxDataBytes;
    private final int maxBatch;

    public EventIngressService(EventPublisher publisher, int maxDataBytes, int maxBatch) {
        this.publisher = publisher;
        this.maxDataBytes = Math.min(maxDataBytes, TriggerEvent.MAX_DATA_BYTES);
        this.maxBatch = maxBatch;
    }

    /** Largest request body accepted (a batch of full events plus envelope overhead). */
    public long maxBodyBytes() {
        return (long) maxDataBytes * 4 / 3 + 64 * 1024 + (long) maxBatch * 1024;
    }

    /** Ids of the published events, in order. */
    public List<String> ingest(Principal caller, Map<String, String> headers, byte[] body) {
        requireProducer(caller);
        if (body.length > maxBodyBytes()) {
            throw ApiException.tooLarge(
                    "request body is " + body.length + " bytes (max " + maxBodyBytes() + ")");
        }
        headers = withCanonicalMediaType(headers);
        String contentType = header(headers, "content-type");
        List<CloudEvent> events =
                contentType != null
                                && contentType
                                        .toLowerCase(Locale.ROOT)
                                        .startsWith(BATCH_CONTENT_TYPE)
                        ? batch(body)
                        : List.of(single(headers, body));
        for (CloudEvent e : events) {
            validate(e);
        }
        try {
            publisher.publish(events);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while publishing");
        } catch (Exception e) {
            LOG.warn("Publishing {} events failed: {}", events.size(), e.getMessage());
            throw ApiException.unavailable(
                    "could not publish to Kafka, nothing was accepted; retry: " + e.getMessage());
        }
        return events.stream().map(CloudEvent::getId).toList();
    }

    private CloudEvent single(Map<String, String> headers, byte[] body) {
        try {
            MessageReader reader = HttpMessageFactory.createReader(headers, body);
            return reader.toEvent();
        } catch (CloudEventRWException e) {
            throw ApiException.badRequest("not a valid CloudEvent: " + oneLine(e));
        } catch (EventDeserializationException
                | IllegalStateException
                | IllegalArgumentException e) {
            throw ApiException.badRequest("not a valid CloudEvent: " + oneLine(e));
        } catch (RuntimeException e) {
            // the SDK's readers throw NullPointerException and others for bodies such as `null`
            throw ApiException.badRequest(
                    "not a valid CloudEvent (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Media types are case-insensitive (RFC 9110), the SDK's content-mode detection is not: the
     * type/subtype of Content-Type goes on in lower case, its parameters as they came.
     */
    static Map<String, String> withCanonicalMediaType(Map<String, String> headers) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("content-type") && e.getValue() != null) {
                String v = e.getValue().strip();
                int semi = v.indexOf(';');
                String type = (semi < 0 ? v : v.substring(0, semi)).strip();
                String params = semi < 0 ? "" : v.substring(semi);
                out.put("Content-Type", type.toLowerCase(Locale.ROOT) + params);
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private List<CloudEvent> batch(byte[] body) {
        com.fasterxml.jackson.databind.JsonNode array;
        try {
            array = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("batch is not valid JSON: " + oneLine(e));
        }
        if (array == null || !array.isArray()) {
            throw ApiException.badRequest("a batch must be a JSON array of structured events");
        }
        if (array.isEmpty()) {
            throw ApiException.badRequest("batch is empty");
        }
        if (array.size() > maxBatch) {
            throw ApiException.tooLarge(
                    "batch has " + array.size() + " events (max " + maxBatch + ")");
        }
        JsonFormat format =
                (JsonFormat)
                        EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        List<CloudEvent> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                out.add(format.deserialize(Json.mapper().writeValueAsBytes(array.get(i))));
            } catch (RuntimeException | IOException e) {
                throw ApiException.badRequest("batch event #" + i + " is not valid: " + oneLine(e));
            }
        }
        return out;
    }

    private void validate(CloudEvent e) {
        for (String[] attr :
                new String[][] {
                    {"id", e.getId()},
                    {"type", e.getType()},
                    {"source", e.getSource() == null ? null : e.getSource().toString()}
                }) {
            if (attr[1] == null || attr[1].isBlank()) {
                throw ApiException.badRequest("required attribute '" + attr[0] + "' is missing");
            }
        }
        if (e.getType().startsWith(RESERVED_TYPE_PREFIX)) {
            throw ApiException.badRequest(
                    "event type '"
                            + shown(e.getType())
                            + "' is reserved for the platform; run a service with POST"
                            + " /api/v1/services/{name}/runs");
        }
        for (String name : e.getExtensionNames()) {
            if (RESERVED_EXTENSIONS.contains(name)) {
                throw ApiException.badRequest(
                        "extension '" + name + "' is set by the platform only; remove it");
            }
        }
        if (e.getData() != null && e.getData().toBytes().length > maxDataBytes) {
            throw ApiException.tooLarge(
                    "event '"
                            + shown(e.getId())
                            + "' has "
                            + e.getData().toBytes().length
                            + " bytes of data (max "
                            + maxDataBytes
                            + ")");
        }
        try {
            TriggerEvent.from(e);
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("event '" + shown(e.getId()) + "': " + ex.getMessage());
        }
    }

    static void requireProducer(Principal caller) {
        Set<String> devProjects = caller.projectsWith(Role.DEVELOPER);
        if (devProjects != null && devProjects.isEmpty()) {
            throw ApiException.forbidden(
                    "token '" + caller.tokenName() + "' needs role developer on some project");
        }
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A refused value as an error message quotes it: cut, control characters escaped. */
    static String shown(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            if (sb.length() >= SHOWN_CHARS) {
                return sb + "…";
            }
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            m += ": " + e.getCause().getMessage();
        }
        // the SDK's messages quote the input: cut and escaped like any refused value
        return shown(m.length() > 300 ? m.substring(0, 300) : m);
    }
}
