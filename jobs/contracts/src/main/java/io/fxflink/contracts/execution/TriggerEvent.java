package io.fxflink.contracts.execution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.contracts.internal.Checks;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The CloudEvent (spec 1.0) that triggered an execution, as a plain value. {@code data} is the
 * payload bytes as they arrived (base64 in JSON); it is never parsed here. Extension values are
 * carried as strings (which is what the Kafka binary binding carries anyway).
 *
 * <p>Do not mutate the {@code data} array: it is shared, not copied, to keep routing cheap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerEvent(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String source,
        @JsonProperty(required = true) String type,
        String subject,
        OffsetDateTime time,
        String datacontenttype,
        String dataschema,
        byte[] data,
        Map<String, String> extensions) {

    /** Largest payload the platform routes; larger events are dead-lettered as oversize. */
    public static final int MAX_DATA_BYTES = 512 * 1024;

    public static final int MAX_EXTENSIONS = 64;

    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,64}");
    private static final Set<String> CORE_ATTRIBUTES =
            Set.of(
                    "id",
                    "source",
                    "type",
                    "specversion",
                    "subject",
                    "time",
                    "datacontenttype",
                    "dataschema",
                    "data",
                    "data_base64");

    public TriggerEvent {
        Checks.id(id, "id");
        Checks.attribute(source, "source", Checks.MAX_TEXT_CHARS);
        Checks.id(type, "type");
        Checks.optionalAttribute(subject, "subject", Checks.MAX_TEXT_CHARS);
        Checks.optionalAttribute(datacontenttype, "datacontenttype", Checks.MAX_ID_CHARS);
        Checks.optionalAttribute(dataschema, "dataschema", Checks.MAX_TEXT_CHARS);
        if (time != null) {
            Checks.time(time.toInstant(), "time");
        }
        if (data != null && data.length > MAX_DATA_BYTES) {
            throw new IllegalArgumentException(
                    "field 'data' is too large: "
                            + data.length
                            + " bytes (max "
                            + MAX_DATA_BYTES
                            + ")");
        }
        extensions = Checks.map(extensions, "extensions", MAX_EXTENSIONS);
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            if (!EXTENSION_NAME.matcher(e.getKey()).matches()
                    || CORE_ATTRIBUTES.contains(e.getKey())) {
                throw new IllegalArgumentException(
                        "field 'extensions' has an invalid extension name '"
                                + e.getKey()
                                + "' (lowercase a-z0-9, not a core attribute)");
            }
            Checks.optionalAttribute(
                    e.getValue(), "extensions." + e.getKey(), Checks.MAX_TEXT_CHARS);
        }
    }

    /** Copies attributes and extensions; the data bytes are taken as they are, not parsed. */
    public static TriggerEvent from(CloudEvent event) {
        Map<String, String> ext = new TreeMap<>();
        for (String name : event.getExtensionNames()) {
            Object value = event.getExtension(name);
            if (value != null) {
                ext.put(name, extensionString(value));
            }
        }
        CloudEventData data = event.getData();
        return new TriggerEvent(
                event.getId(),
                event.getSource() == null ? null : event.getSource().toString(),
                event.getType(),
                event.getSubject(),
                event.getTime(),
                event.getDataContentType(),
                event.getDataSchema() == null ? null : event.getDataSchema().toString(),
                data == null ? null : data.toBytes(),
                ext);
    }

    /** A CloudEvent 1.0 with the same attributes, extensions and data bytes. */
    public CloudEvent toCloudEvent() {
        CloudEventBuilder b =
                CloudEventBuilder.v1()
                        .withId(id)
                        .withSource(URI.create(source))
                        .withType(type)
                        .withSubject(subject)
                        .withTime(time);
        if (datacontenttype != null) {
            b.withDataContentType(datacontenttype);
        }
        if (dataschema != null) {
            b.withDataSchema(URI.create(dataschema));
        }
        if (data != null) {
            b.withData(data);
        }
        extensions.forEach(b::withExtension);
        return b.build();
    }

    public Optional<String> extension(String name) {
        return Optional.ofNullable(extensions.get(name));
    }

    /** A copy with one extension set (e.g. causation attributes of an emitted event). */
    public TriggerEvent withExtension(String name, String value) {
        Map<String, String> ext = new LinkedHashMap<>(extensions);
        ext.put(name, value);
        return new TriggerEvent(
                id, source, type, subject, time, datacontenttype, dataschema, data, ext);
    }

    @JsonIgnore
    public int dataSize() {
        return data == null ? 0 : data.length;
    }

    private static String extensionString(Object value) {
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TriggerEvent t
                && id.equals(t.id)
                && source.equals(t.source)
                && type.equals(t.type)
                && Objects.equals(subject, t.subject)
                && Objects.equals(time, t.time)
                && Objects.equals(datacontenttype, t.datacontenttype)
                && Objects.equals(dataschema, t.dataschema)
                && Arrays.equals(data, t.data)
                && extensions.equals(t.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, source, type, subject, time, Arrays.hashCode(data), extensions);
    }

    @Override
    public String toString() {
        return "TriggerEvent[id="
                + id
                + ", source="
                + source
                + ", type="
                + type
                + ", subject="
                + subject
                + ", time="
                + time
                + ", datacontenttype="
                + datacontenttype
                + ", data="
                + dataSize()
                + " bytes, extensions="
                + extensions
                + "]";
    }
}
