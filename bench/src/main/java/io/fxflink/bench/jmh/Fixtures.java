package io.fxflink.bench.jmh;

import io.fxflink.contracts.execution.ExecutionIds;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.link.ServiceVersionSpec;
import java.time.Instant;
import java.util.List;

/** Representative records for the benchmarks. */
final class Fixtures {
    private Fixtures() {}

    static ExecutionRequest request(TriggerEvent trigger) {
        ServiceVersionSpec spec =
                new ServiceVersionSpec(
                        "packages/" + "ab".repeat(32) + ".zip",
                        "ab".repeat(32),
                        ServiceRuntime.PYTHON,
                        30_000,
                        2,
                        1_000,
                        4,
                        5,
                        List.of("main.py"));
        return ExecutionRequest.firstAttempt(
                ExecutionIds.of(trigger, "link-1"),
                "link-1",
                "ingest",
                "1.0.0",
                spec,
                trigger,
                1,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                Instant.parse("2026-11-29T10:00:00Z"));
    }
}
