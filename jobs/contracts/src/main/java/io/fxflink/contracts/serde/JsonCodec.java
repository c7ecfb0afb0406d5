package io.fxflink.contracts.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import com.fasterxml.jackson.databind.util.NameTransformer;
import io.fxflink.contracts.serde.internal.JacksonProblems;
import io.fxflink.contracts.serde.internal.JsonMappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON codec for one record type that crosses a process boundary.
 *
 * <p>Every encoded object starts with {@code schemaVersion} (and optional constant fields such as
 * {@code kind}); decode checks them, tolerates unknown fields, and rejects everything else with an
 * {@link InvalidRecordException} naming the record type and the problem. Thread-safe.
 */
public final class JsonCodec<T> {
    public static final String SCHEMA_VERSION_FIELD = "schemaVersion";

    /** Default upper bound for one encoded record. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private final Class<T> type;
    private final String recordType;
    private final int schemaVersion;
    private final int maxBytes;
    private final Map<String, String> constantFields;
    private final ObjectMapper mapper = JsonMappers.strict();
    private volatile JsonSerializer<Object> fieldsSerializer;
    // explicit JSON null in a primitive field would silently read as 0/false: reject it instead
    private final List<String> primitiveFields;

    private JsonCodec(
            Class<T> type, int schemaVersion, int maxBytes, Map<String, String> constantFields) {
        this.type = Objects.requireNonNull(type, "type");
        this.recordType = type.getSimpleName();
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1");
        }
        if (maxBytes < 64) {
            throw new IllegalArgumentException("maxBytes must be >= 64, was " + maxBytes);
        }
        this.schemaVersion = schemaVersion;
        this.maxBytes = maxBytes;
        this.constantFields = Map.copyOf(constantFields);
        this.primitiveFields =
                type.isRecord()
                        ? Arrays.stream(type.getRecordComponents())
                                .filter(c -> c.getType().isPrimitive())
                                .map(RecordComponent::getName)
                                .toList()
                        : List.of();
    }

    /** A codec writing {@code schemaVersion} and reading versions 1..schemaVersion. */
    public static <T> JsonCodec<T> of(Class<T> type, int schemaVersion) {
        return new JsonCodec<>(type, schemaVersion, DEFAULT_MAX_BYTES, Map.of());
    }

    /** Same codec with another size limit (for both encode and decode). */
    public JsonCodec<T> withMaxBytes(int maxBytes) {
        return new JsonCodec<>(type, schemaVersion, maxBytes, constantFields);
    }

    /** Same codec that writes {@code field: value} and requires it on decode (a discriminator). */
    public JsonCodec<T> withConstantField(String field, String value) {
        Map<String, String> fields = new LinkedHashMap<>(constantFields);
        fields.put(field, value);
        return new JsonCodec<>(type, schemaVersion, maxBytes, fields);
    }

    public Class<T> type() {
        return type;
    }

    public String recordType() {
        return recordType;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public byte[] encode(T value) {
        if (value == null) {
            throw new InvalidRecordException(recordType, "cannot encode null");
        }
        // one pass: the envelope fields, then the record's own properties into the same object
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
            DefaultSerializerProvider provider =
                    ((DefaultSerializerProvider) mapper.getSerializerProvider())
                            .createInstance(
                                    mapper.getSerializationConfig(), mapper.getSerializerFactory());
            gen.writeStartObject();
            gen.writeNumberField(SCHEMA_VERSION_FIELD, schemaVersion);
            for (Map.Entry<String, String> e : constantFields.entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            fieldsSerializer(provider).serialize(value, gen, provider);
            gen.writeEndObject();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidRecordException(recordType, "cannot encode: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidRecordException(recordType, "cannot encode: " + e.getMessage(), e);
        }
        if (out.size() > maxBytes) {
            throw new InvalidRecordException(
                    recordType,
                    "encoded size " + out.size() + " bytes exceeds the limit of " + maxBytes);
        }
        return out.toByteArray();
    }

    /** The record's serializer writing its properties without braces (cached: stateless). */
    private JsonSerializer<Object> fieldsSerializer(SerializerProvider provider)
            throws JsonMappingException {
        JsonSerializer<Object> s = fieldsSerializer;
        if (s == null) {
            s = provider.findValueSerializer(type).unwrappingSerializer(NameTransformer.NOP);
            fieldsSerializer = s;
        }
        return s;
    }

    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidRecordException(recordType, "no value (null)");
        }
        if (bytes.length > maxBytes) {
            throw new InvalidRecordException(
                    recordType, "size " + bytes.length + " bytes exceeds the limit of " + maxBytes);
        }
        requireUtf8(bytes);
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidRecordException(recordType, describe(e), e);
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw new InvalidRecordException(
                    recordType,
                    "expected a JSON object, got "
                            + (tree == null ? "nothing" : tree.getNodeType()));
        }
        checkSchemaVersion(obj);
        checkConstantFields(obj);
        for (String field : primitiveFields) {
            JsonNode v = obj.get(field);
            if (v != null && v.isNull()) {
                throw new InvalidRecordException(
                        recordType, "field '" + field + "' must not be null");
            }
        }
        try {
            return mapper.treeToValue(obj, type);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(recordType, describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(recordType, String.valueOf(e.getMessage()), e);
        }
    }

    private void checkSchemaVersion(ObjectNode obj) {
        JsonNode v = obj.remove(SCHEMA_VERSION_FIELD);
        if (v == null || v.isNull()) {
            throw new InvalidRecordException(
                    recordType, "missing required field '" + SCHEMA_VERSION_FIELD + "'");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidRecordException(
                    recordType, "field '" + SCHEMA_VERSION_FIELD + "' must be an integer");
        }
        int version = v.intValue();
        if (version < 1 || version > schemaVersion) {
            throw new InvalidRecordException(
                    recordType,
                    "unsupported "
                            + SCHEMA_VERSION_FIELD
                            + " "
                            + version
                            + " (this reader supports 1.."
                            + schemaVersion
                            + ")");
        }
    }

    private void checkConstantFields(ObjectNode obj) {
        for (Map.Entry<String, String> e : constantFields.entrySet()) {
            JsonNode actual = obj.remove(e.getKey());
            if (actual == null || actual.isNull()) {
                throw new InvalidRecordException(
                        recordType, "missing required field '" + e.getKey() + "'");
            }
            if (!actual.isTextual() || !actual.textValue().equals(e.getValue())) {
                throw new InvalidRecordException(
                        recordType,
                        "field '"
                                + e.getKey()
                                + "' must be \""
                                + e.getValue()
                                + "\", was "
                                + clip(actual.toString()));
            }
        }
    }

    private void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException(recordType, "input is not valid UTF-8");
        }
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException jpe) {
            return JacksonProblems.describe(jpe);
        }
        return "unreadable input: " + e.getMessage();
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    @Override
    public String toString() {
        return "JsonCodec[" + recordType + " v" + schemaVersion + "]";
    }
}
