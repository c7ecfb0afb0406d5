package io.fxflink.router.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.serde.InvalidRecordException;
import io.fxflink.contracts.testing.ContractArbitraries;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The streaming writer must stay byte-identical to the contract codec. */
class ExecutionRequestJsonTest {

    @Property(tries = 500)
    void writesTheCodecsBytes(@ForAll("requests") ExecutionRequest request) {
        assertThat(new String(ExecutionRequestJson.encode(request)))
                .isEqualTo(new String(Codecs.EXECUTION_REQUEST.encode(request)));
    }

    @Provide
    Arbitrary<ExecutionRequest> requests() {
        return ContractArbitraries.executionRequests();
    }

    @Test
    void timesWithZeroSecondsFractionsAndOffsetsAsTheCodec() {
        for (OffsetDateTime time :
                new OffsetDateTime[] {
                    OffsetDateTime.of(2025, 1, 2, 3, 4, 0, 0, ZoneOffset.UTC),
                    OffsetDateTime.of(2025, 1, 2, 3, 4, 5, 120_000_000, ZoneOffset.ofHours(2)),
                    OffsetDateTime.of(2025, 1, 2, 3, 4, 5, 1, ZoneOffset.ofHoursMinutes(-5, -30)),
                    null
                }) {
            for (Instant created :
                    new Instant[] {
                        Instant.EPOCH, Instant.parse("2025-01-02T03:04:05.100Z"), Instant.MAX
                    }) {
                ExecutionRequest r = request(trigger(time, new byte[] {1, 2, 3}), created);
                byte[] bytes = ExecutionRequestJson.encode(r);
                assertThat(new String(bytes))
                        .isEqualTo(new String(Codecs.EXECUTION_REQUEST.encode(r)));
                assertThat(Codecs.EXECUTION_REQUEST.decode(bytes)).isEqualTo(r);
            }
        }
    }

    @Test
    void oneKibDataRoundTripsThroughTheCodec() {
        byte[] data = new byte[1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        ExecutionRequest r = request(trigger(null, data), Instant.EPOCH);
        ExecutionRequest decoded = Codecs.EXECUTION_REQUEST.decode(ExecutionRequestJson.encode(r));
        assertThat(decoded.triggerEvent().data()).isEqualTo(data);
        assertThat(decoded).isEqualTo(r);
    }

    @Test
    void tooLargeRequestIsAnInvalidRecordLikeTheCodec() {
        // quotes are written as two-byte escapes: 64 extensions of 4,000 of them, plus the
        // largest data in base64, are beyond the codec's 1 MiB limit (control characters,
        // which the contract refuses in attributes, no longer reach the writer)
        Map<String, String> ext = new TreeMap<>();
        for (int i = 0; i < TriggerEvent.MAX_EXTENSIONS; i++) {
            ext.put("x" + i, "\"".repeat(4000));
        }
        TriggerEvent big =
                new TriggerEvent(
                        "id",
                        "urn:s",
                        "t",
                        null,
                        null,
                        null,
                        null,
                        new byte[TriggerEvent.MAX_DATA_BYTES],
                        ext);
        ExecutionRequest r = request(big, Instant.EPOCH);
        assertThatThrownBy(() -> Codecs.EXECUTION_REQUEST.encode(r))
                .isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> ExecutionRequestJson.encode(r))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void knowsEveryFieldOfTheContractRecords() {
        // a new contract field must be added to the writer (else its output would lack it)
        assertThat(names(ExecutionRequest.class))
                .containsExactly(ExecutionRequestJson.REQUEST_FIELDS);
        assertThat(names(TriggerEvent.class)).containsExactly(ExecutionRequestJson.TRIGGER_FIELDS);
        assertThat(names(PackageRef.class)).containsExactly(ExecutionRequestJson.PACKAGE_FIELDS);
    }

    private static String[] names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toArray(String[]::new);
    }

    private static TriggerEvent trigger(OffsetDateTime time, byte[] data) {
        return new TriggerEvent(
                "id-1",
                "urn:bench",
                "bench.exact.1",
                "sübject \"quoted\" \\ back\u2028slash",
                time,
                "application/octet-stream",
                "urn:schema",
                data,
                new TreeMap<>(Map.of("fxdepth", "2", "traceparent", "00-ab-cd-01")));
    }

    private static ExecutionRequest request(TriggerEvent trigger, Instant created) {
        return new ExecutionRequest(
                "0123456789abcdef0123456789abcdef",
                "link-1",
                "svc",
                "1",
                new PackageRef("p/svc/1.zip", "a".repeat(64)),
                ServiceRuntime.PYTHON,
                trigger,
                1,
                created,
                2,
                "00-ab-cd-01",
                0,
                1000,
                0,
                0,
                created);
    }
}
