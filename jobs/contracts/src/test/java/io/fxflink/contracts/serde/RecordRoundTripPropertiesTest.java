package io.fxflink.contracts.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.testing.ContractArbitraries;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips and "never anything but InvalidRecordException" for every record type. */
class RecordRoundTripPropertiesTest {

    @Property(tries = 300)
    void linkRoundTrips(@ForAll("links") Link value) {
        assertThat(Codecs.LINK.decode(Codecs.LINK.encode(value))).isEqualTo(value);
    }

    @Property(tries = 200)
    void serviceConfigRoundTrips(@ForAll("serviceConfigs") ServiceConfig value) {
        assertThat(Codecs.SERVICE_CONFIG.decode(Codecs.SERVICE_CONFIG.encode(value)))
                .isEqualTo(value);
    }

    @Property(tries = 200)
    void executionRequestRoundTrips(@ForAll("executionRequests") ExecutionRequest value) {
        assertThat(Codecs.EXECUTION_REQUEST.decode(Codecs.EXECUTION_REQUEST.encode(value)))
                .isEqualTo(value);
    }

    @Property(tries = 300)
    void opsLogRoundTrips(@ForAll("opsLogs") OpsLogRecord value) {
        assertThat(Codecs.OPS_LOG.decode(Codecs.OPS_LOG.encode(value))).isEqualTo(value);
    }

    @Property(tries = 300)
    void lifecycleRoundTrips(@ForAll("lifecycleRecords") ExecutionLifecycleRecord value) {
        assertThat(Codecs.EXECUTION_LIFECYCLE.decode(Codecs.EXECUTION_LIFECYCLE.encode(value)))
                .isEqualTo(value);
    }

    @Property(tries = 300)
    void metricRoundTrips(@ForAll("metrics") MetricRecord value) {
        assertThat(Codecs.METRIC.decode(Codecs.METRIC.encode(value))).isEqualTo(value);
    }

    @Property(tries = 300)
    void deadLetterRoundTrips(@ForAll("deadLetters") DeadLetterRecord value) {
        assertThat(Codecs.DEAD_LETTER.decode(Codecs.DEAD_LETTER.encode(value))).isEqualTo(value);
    }

    @Property(tries = 500)
    void arbitraryBytesNeverThrowAnythingButInvalidRecord(
            @ForAll("codecs") JsonCodec<?> codec, @ForAll byte[] input) {
        try {
            codec.decode(input);
        } catch (InvalidRecordException e) {
            assertThat(e.getMessage()).startsWith("invalid " + codec.recordType() + ": ");
        }
    }

    @Property(tries = 300)
    void everyTruncationOfAValidLinkIsRejected(
            @ForAll("links") Link value, @ForAll("fractions") double fraction) {
        byte[] json = Codecs.LINK.encode(value);
        int cut = (int) (json.length * fraction);
        assertThatThrownBy(() -> Codecs.LINK.decode(Arrays.copyOf(json, cut)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid Link: ");
    }

    @Property(tries = 300)
    void everyTruncationOfAnExecutionRequestIsRejected(
            @ForAll("executionRequests") ExecutionRequest value,
            @ForAll("fractions") double fraction) {
        byte[] json = Codecs.EXECUTION_REQUEST.encode(value);
        int cut = (int) (json.length * fraction);
        assertThatThrownBy(() -> Codecs.EXECUTION_REQUEST.decode(Arrays.copyOf(json, cut)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid ExecutionRequest: ");
    }

    @Property(tries = 200)
    void mutatedBytesOfAValidRecordDecodeOrFailCleanly(
            @ForAll("opsLogs") OpsLogRecord value,
            @ForAll("fractions") double where,
            @ForAll byte replacement) {
        byte[] json = Codecs.OPS_LOG.encode(value);
        json[(int) (json.length * where)] = replacement;
        try {
            Codecs.OPS_LOG.decode(json);
        } catch (InvalidRecordException e) {
            assertThat(e.recordType()).isEqualTo("OpsLogRecord");
        }
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 0.999).ofScale(3);
    }

    @Provide
    Arbitrary<JsonCodec<?>> codecs() {
        List<JsonCodec<?>> all = Codecs.all();
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<Link> links() {
        return ContractArbitraries.links();
    }

    @Provide
    Arbitrary<ServiceConfig> serviceConfigs() {
        return ContractArbitraries.serviceConfigs();
    }

    @Provide
    Arbitrary<ExecutionRequest> executionRequests() {
        return ContractArbitraries.executionRequests();
    }

    @Provide
    Arbitrary<OpsLogRecord> opsLogs() {
        return ContractArbitraries.opsLogs();
    }

    @Provide
    Arbitrary<ExecutionLifecycleRecord> lifecycleRecords() {
        return ContractArbitraries.lifecycleRecords();
    }

    @Provide
    Arbitrary<MetricRecord> metrics() {
        return ContractArbitraries.metrics();
    }

    @Provide
    Arbitrary<DeadLetterRecord> deadLetters() {
        return ContractArbitraries.deadLetters();
    }
}
