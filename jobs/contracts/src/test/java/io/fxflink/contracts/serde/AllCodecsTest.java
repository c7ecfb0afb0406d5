package io.fxflink.contracts.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.testing.ContractFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile-input table tests run against every record codec with a valid sample of its type. */
class AllCodecsTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                sample(Codecs.LINK, ContractFixtures.weightedLink("l-1")),
                sample(Codecs.SERVICE_CONFIG, ContractFixtures.serviceConfig("billing")),
                sample(Codecs.EXECUTION_REQUEST, ContractFixtures.executionRequest("e-1")),
                sample(Codecs.OPS_LOG, ContractFixtures.opsLog("x1", 3)),
                sample(
                        Codecs.EXECUTION_LIFECYCLE,
                        ContractFixtures.lifecycle("x1", ExecutionStatus.DEAD, 4)),
                sample(Codecs.METRIC, ContractFixtures.metric("fx.queue.depth")),
                sample(Codecs.DEAD_LETTER, ContractFixtures.deadLetter("fx.events", 9)));
    }

    private static <T> Arguments sample(JsonCodec<T> codec, T value) {
        return Arguments.of(codec.recordType(), codec, value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void validRecordRoundTrips(String type, JsonCodec<T> codec, T value) {
        assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void encodedRecordStartsWithSchemaVersion(String type, JsonCodec<T> codec, T value) {
        assertThat(new String(codec.encode(value), StandardCharsets.UTF_8))
                .startsWith("{\"schemaVersion\":1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void truncatedJsonIsRejectedWithTheRecordType(String type, JsonCodec<T> codec, T value) {
        byte[] json = codec.encode(value);
        for (int cut : new int[] {0, 1, json.length / 2, json.length - 1}) {
            byte[] truncated = Arrays.copyOf(json, cut);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessageStartingWith("invalid " + type + ": ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void unknownFieldsAreTolerated(String type, JsonCodec<T> codec, T value) {
        String json = new String(codec.encode(value), StandardCharsets.UTF_8);
        String extended =
                json.substring(0, json.length() - 1)
                        + ",\"addedInV2\":{\"nested\":[1,2,3]},\"other\":null}";
        assertThat(codec.decode(extended.getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void missingSchemaVersionIsRejected(String type, JsonCodec<T> codec, T value) {
        String json = new String(codec.encode(value), StandardCharsets.UTF_8);
        String without = json.replace("\"schemaVersion\":1,", "");
        assertRejected(codec, without, "missing required field 'schemaVersion'");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void newerSchemaVersionIsRejected(String type, JsonCodec<T> codec, T value) {
        String json = new String(codec.encode(value), StandardCharsets.UTF_8);
        assertRejected(
                codec,
                json.replace("\"schemaVersion\":1", "\"schemaVersion\":2"),
                "unsupported schemaVersion 2");
        assertRejected(
                codec,
                json.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\""),
                "'schemaVersion' must be an integer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void invalidUtf8IsRejected(String type, JsonCodec<T> codec, T value) {
        byte[] json = codec.encode(value);
        byte[] bad = Arrays.copyOf(json, json.length);
        // overwrite a byte inside the first string value with a lone continuation byte
        bad[3] = (byte) 0x80;
        assertThatThrownBy(() -> codec.decode(bad))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("invalid " + type + ": input is not valid UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void oversizeInputIsRejectedBeforeParsing(String type, JsonCodec<T> codec, T value) {
        JsonCodec<T> small = codec.withMaxBytes(100);
        byte[] big = new byte[101];
        Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> small.decode(big))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("exceeds the limit of 100");
        assertThatThrownBy(() -> small.encode(value))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("exceeds the limit of 100");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void nonObjectJsonIsRejected(String type, JsonCodec<T> codec, T value) {
        assertRejected(codec, "[1,2]", "expected a JSON object");
        assertRejected(codec, "\"text\"", "expected a JSON object");
        assertRejected(codec, "null", "expected a JSON object");
        assertRejected(codec, "", "expected a JSON object");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void trailingGarbageAndDuplicateKeysAreRejected(String type, JsonCodec<T> codec, T value) {
        String json = new String(codec.encode(value), StandardCharsets.UTF_8);
        assertRejected(codec, json + "{}", "malformed JSON");
        assertRejected(
                codec,
                json.replace("\"schemaVersion\":1", "\"schemaVersion\":1,\"schemaVersion\":1"),
                "Duplicate field");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void nullInputIsRejected(String type, JsonCodec<T> codec, T value) {
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("invalid " + type + ": no value (null)");
    }

    static <T> void assertRejected(JsonCodec<T> codec, String json, String problem) {
        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid " + codec.recordType() + ": ")
                .hasMessageContaining(problem)
                .satisfies(
                        e ->
                                assertThat(((InvalidRecordException) e).recordType())
                                        .isEqualTo(codec.recordType()));
    }
}
