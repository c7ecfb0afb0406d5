package io.fxflink.contracts.serde.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MutableCoercionConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one strict-but-tolerant mapper all contract codecs share (thread-safe once built). */
public final class JsonMappers {
    private static final ObjectMapper STRICT =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    // forward compatibility: newer writers may add fields
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    // hostile input: no silent coercions, no trailing junk, no duplicate keys
                    // absent (or null) optional numbers mean "default"; required ones are
                    // @JsonProperty(required = true) and range-checked by the record
                    .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(JsonParser.Feature.ALLOW_COMMENTS)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                    .withCoercionConfigDefaults(JsonMappers::failScalarCoercions)
                    .build();

    private static void failScalarCoercions(MutableCoercionConfig cfg) {
        for (CoercionInputShape shape :
                new CoercionInputShape[] {
                    CoercionInputShape.Boolean,
                    CoercionInputShape.Integer,
                    CoercionInputShape.Float,
                    CoercionInputShape.EmptyString
                }) {
            cfg.setCoercion(shape, CoercionAction.Fail);
        }
    }

    private JsonMappers() {}

    public static ObjectMapper strict() {
        return STRICT;
    }
}
