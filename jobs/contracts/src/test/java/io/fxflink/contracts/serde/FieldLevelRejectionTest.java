package io.fxflink.contracts.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.serde.internal.JsonMappers;
import io.fxflink.contracts.testing.ContractFixtures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** For every record type: each required field missing, and each field with a wrong JSON type. */
class FieldLevelRejectionTest {

    private static final Map<String, List<String>> REQUIRED =
            Map.of(
                    "Link",
                    List.of(
                            "id",
                            "version",
                            "project",
                            "eventType",
                            "match",
                            "service",
                            "enabled",
                            "updatedAt"),
                    "ServiceConfig",
                    List.of("service", "version", "project", "active"),
                    "ExecutionRequest",
                    List.of(
                            "executionId",
                            "service",
                            "serviceVersion",
                            "packageRef",
                            "runtime",
                            "triggerEvent",
                            "attempt",
                            "deadline",
                            "timeoutMs",
                            "createdAt"),
                    "OpsLogRecord",
                    List.of(
                            "recordId",
                            "executionId",
                            "service",
                            "serviceVersion",
                            "attempt",
                            "sequence",
                            "level",
                            "time",
                            "message"),
                    "ExecutionLifecycleRecord",
                    List.of(
                            "recordId",
                            "executionId",
                            "service",
                            "serviceVersion",
                            "status",
                            "attempt",
                            "sequence",
                            "time",
                            "triggerEventId",
                            "triggerEventType",
                            "rootEventId"),
                    "MetricRecord",
                    List.of("name", "value", "time"),
                    "DeadLetterRecord",
                    List.of("recordId", "stage", "reason", "time"));

    static Stream<Arguments> requiredFields() {
        List<Arguments> rows = new ArrayList<>();
        for (Object[] s : samples()) {
            JsonCodec<?> codec = (JsonCodec<?>) s[0];
            for (String field : REQUIRED.get(codec.recordType())) {
                rows.add(Arguments.of(codec.recordType(), field, codec, s[1]));
            }
        }
        return rows.stream();
    }

    static Stream<Arguments> allFields() {
        List<Arguments> rows = new ArrayList<>();
        for (Object[] s : samples()) {
            JsonCodec<?> codec = (JsonCodec<?>) s[0];
            ObjectNode tree = tree(codec, s[1]);
            Iterator<String> names = tree.fieldNames();
            while (names.hasNext()) {
                String field = names.next();
                if (!field.equals("schemaVersion") && !field.equals("kind")) {
                    rows.add(Arguments.of(codec.recordType(), field, codec, s[1]));
                }
            }
        }
        return rows.stream();
    }

    private static List<Object[]> samples() {
        return List.of(
                new Object[] {Codecs.LINK, ContractFixtures.weightedLink("l-1")},
                new Object[] {Codecs.SERVICE_CONFIG, ContractFixtures.serviceConfig("billing")},
                new Object[] {Codecs.EXECUTION_REQUEST, ContractFixtures.executionRequest("e-1")},
                new Object[] {Codecs.OPS_LOG, ContractFixtures.opsLog("x1", 3)},
                new Object[] {
                    Codecs.EXECUTION_LIFECYCLE,
                    ContractFixtures.lifecycle("x1", ExecutionStatus.DEAD, 4)
                },
                new Object[] {Codecs.METRIC, ContractFixtures.metric("fx.queue.depth")},
                new Object[] {Codecs.DEAD_LETTER, ContractFixtures.deadLetter("fx.events", 9)});
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("requiredFields")
    void missingRequiredFieldIsRejectedNamingFieldAndType(
            String type, String field, JsonCodec<Object> codec, Object sample) {
        ObjectNode tree = tree(codec, sample);
        tree.remove(field);
        assertThatThrownBy(() -> codec.decode(bytes(tree)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("invalid " + type + ": missing required field '" + field + "'");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("requiredFields")
    void explicitNullInRequiredFieldIsRejected(
            String type, String field, JsonCodec<Object> codec, Object sample) {
        ObjectNode tree = tree(codec, sample);
        tree.putNull(field);
        assertThatThrownBy(() -> codec.decode(bytes(tree)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid " + type + ": ")
                .hasMessageContaining("'" + field + "'");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("allFields")
    void wrongJsonTypeIsRejectedNamingTheField(
            String type, String field, JsonCodec<Object> codec, Object sample) {
        ObjectNode tree = tree(codec, sample);
        JsonNode original = tree.get(field);
        // a boolean where text/number/object is expected, text where a boolean is expected
        tree.set(field, original.isBoolean() ? TextNode.valueOf("yes") : BooleanNode.TRUE);
        assertThatThrownBy(() -> codec.decode(bytes(tree)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid " + type + ": ")
                .hasMessageContaining("'" + field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples0")
    void hugeStringIsRejectedWithSizeMessage(String type, JsonCodec<Object> codec, Object sample) {
        ObjectNode tree = tree(codec, sample);
        String firstText = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual() && !e.getKey().equals("kind")) {
                firstText = e.getKey();
                break;
            }
        }
        assertThat(firstText).isNotNull();
        tree.put(firstText, "x".repeat(200_000));
        assertThatThrownBy(() -> codec.decode(bytes(tree)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid " + type + ": ")
                .hasMessageContaining("too");
    }

    static Stream<Arguments> samples0() {
        return samples().stream()
                .map(s -> Arguments.of(((JsonCodec<?>) s[0]).recordType(), s[0], s[1]));
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode tree(JsonCodec<?> codec, Object sample) {
        try {
            return (ObjectNode)
                    JsonMappers.strict().readTree(((JsonCodec<Object>) codec).encode(sample));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(JsonNode tree) {
        try {
            return JsonMappers.strict().writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
