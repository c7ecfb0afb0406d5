package io.fxflink.bench.jmh;

import io.fxflink.contracts.cloudevents.DecodedEvent;
import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.serde.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot paths of every record the platform moves: CloudEvent header decode, request encode/decode.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ContractsBenchmark {
    private RecordHeaders headers;
    private byte[] payload;
    private ExecutionRequest request;
    private byte[] encodedRequest;

    @Setup
    public void setUp() {
        payload = new byte[1024];
        java.util.Arrays.fill(payload, (byte) 'x');
        headers = new RecordHeaders();
        headers.add("ce_specversion", b("1.0"));
        headers.add("ce_id", b("0a1b2c3d-0000-4000-8000-000000000001"));
        headers.add("ce_source", b("/bench/producer"));
        headers.add("ce_type", b("orders.file.uploaded"));
        headers.add("ce_time", b("2026-11-29T10:00:00Z"));
        headers.add("ce_fxdepth", b("1"));
        headers.add("content-type", b("application/json"));
        DecodedEvent decoded = KafkaCloudEvents.decode("fx.events", headers, payload);
        TriggerEvent trigger = ((DecodedEvent.Ok) decoded).trigger();
        request = Fixtures.request(trigger);
        encodedRequest = Codecs.EXECUTION_REQUEST.encode(request);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public DecodedEvent decodeBinaryModeCloudEvent() {
        return KafkaCloudEvents.decode("fx.events", headers, payload);
    }

    @Benchmark
    public byte[] encodeExecutionRequest() {
        return Codecs.EXECUTION_REQUEST.encode(request);
    }

    @Benchmark
    public ExecutionRequest decodeExecutionRequest() {
        return Codecs.EXECUTION_REQUEST.decode(encodedRequest);
    }
}
