package io.fxflink.contracts.testing;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.execution.ExecutionIds;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.link.ServiceVersionSpec;
import io.fxflink.contracts.link.WeightedVersion;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.contracts.ops.OpsRecordIds;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Valid sample records for tests; shipped in the test-jar so other modules can reuse them. */
public final class ContractFixtures {
    public static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");
    public static final String SHA = "a".repeat(64);
    public static final String PROJECT = "demo";

    private ContractFixtures() {}

    public static Link link(String id) {
        return Link.toVersion(
                id,
                1,
                PROJECT,
                "com.example.order.created",
                MatchType.EXACT,
                null,
                "billing",
                "1.0.0",
                true,
                T0);
    }

    public static Link weightedLink(String id) {
        return new Link(
                id,
                7,
                PROJECT,
                "com.example.",
                MatchType.PREFIX,
                "subject = 'eu'",
                "billing",
                null,
                List.of(new WeightedVersion("1.0.0", 90), new WeightedVersion("2.0.0", 10)),
                true,
                T0);
    }

    public static ServiceVersionSpec versionSpec() {
        return new ServiceVersionSpec(
                "packages/billing/" + SHA + ".zip",
                SHA,
                ServiceRuntime.PYTHON,
                30_000,
                2,
                1000,
                4,
                5,
                List.of("load.py", "store.py"));
    }

    public static ServiceConfig serviceConfig(String name) {
        return new ServiceConfig(
                name,
                3,
                PROJECT,
                true,
                true,
                "*/5 * * * *",
                "1.0.0",
                Map.of("1.0.0", versionSpec(), "2.0.0", versionSpec()));
    }

    public static CloudEvent cloudEvent(String id, String type) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create("urn:test"))
                .withType(type)
                .withSubject("eu")
                .withTime(OffsetDateTime.of(2025, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)))
                .withDataContentType("application/json")
                .withData("{\"amount\":42}".getBytes(StandardCharsets.UTF_8))
                .withExtension(FxExtensions.DEPTH, "1")
                .build();
    }

    public static TriggerEvent triggerEvent(String id) {
        return TriggerEvent.from(cloudEvent(id, "com.example.order.created"));
    }

    public static ExecutionRequest executionRequest(String eventId) {
        TriggerEvent trigger = triggerEvent(eventId);
        return ExecutionRequest.firstAttempt(
                ExecutionIds.of(trigger, "link-1"),
                "link-1",
                "billing",
                "1.0.0",
                versionSpec(),
                trigger,
                1,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                T0);
    }

    public static OpsLogRecord opsLog(String executionId, long sequence) {
        return OpsLogRecord.of(
                executionId, "billing", "1.0.0", 1, sequence, "load.py", LogLevel.INFO, T0, "hi");
    }

    public static ExecutionLifecycleRecord lifecycle(
            String executionId, ExecutionStatus status, long sequence) {
        return new ExecutionLifecycleRecord(
                OpsRecordIds.lifecycle(executionId, sequence),
                executionId,
                "billing",
                "1.0.0",
                status,
                1,
                sequence,
                T0,
                status.isTerminal() ? 1200L : null,
                "evt-1",
                "com.example.order.created",
                null,
                "evt-0",
                1,
                status == ExecutionStatus.DEAD ? "boom" : null,
                "executor-1");
    }

    public static MetricRecord metric(String name) {
        return new MetricRecord(name, Map.of("service", "billing"), 3.5, T0);
    }

    public static DeadLetterRecord deadLetter(String topic, long offset) {
        return DeadLetterRecord.ofConsumed(
                DeadLetterStage.ROUTER,
                "missing required header ce_id",
                topic,
                0,
                offset,
                T0,
                "k".getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2, 3, (byte) 0xff},
                Map.of("ce_type", "x".getBytes(StandardCharsets.UTF_8)));
    }
}
