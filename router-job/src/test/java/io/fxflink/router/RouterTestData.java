package io.fxflink.router;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.LinkTopicValue;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.link.ServiceVersionSpec;
import io.fxflink.contracts.link.WeightedVersion;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.source.LinkUpdate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Factory methods for router test fixtures. */
public final class RouterTestData {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final String SHA = "a".repeat(64);

    private RouterTestData() {}

    public static ServiceVersionSpec spec(String service, String version) {
        return new ServiceVersionSpec(
                "packages/" + service + "-" + version + ".zip",
                SHA,
                ServiceRuntime.PYTHON,
                30_000,
                2,
                1000,
                1,
                0,
                List.of("main.py"));
    }

    /** An active service with the given versions; the first is the default. */
    public static ServiceConfig service(String name, long configVersion, String... versions) {
        return service(name, configVersion, true, null, versions);
    }

    public static ServiceConfig service(
            String name, long configVersion, boolean manual, String schedule, String... versions) {
        Map<String, ServiceVersionSpec> specs = new LinkedHashMap<>();
        for (String v : versions) {
            specs.put(v, spec(name, v));
        }
        return new ServiceConfig(
                name,
                configVersion,
                "proj",
                true,
                manual,
                schedule,
                versions.length == 0 ? null : versions[0],
                specs);
    }

    public static Link exact(String id, long version, String type, String service, String sv) {
        return Link.toVersion(
                id, version, "proj", type, MatchType.EXACT, null, service, sv, true, T0);
    }

    public static Link prefix(String id, long version, String prefix, String service, String sv) {
        return Link.toVersion(
                id, version, "proj", prefix, MatchType.PREFIX, null, service, sv, true, T0);
    }

    public static Link filtered(
            String id, long version, String type, String filter, String service, String sv) {
        return Link.toVersion(
                id, version, "proj", type, MatchType.EXACT, filter, service, sv, true, T0);
    }

    public static Link disabled(Link l) {
        return new Link(
                l.id(),
                l.version() + 1,
                l.project(),
                l.eventType(),
                l.match(),
                l.filter(),
                l.service(),
                l.serviceVersion(),
                l.weightedVersions(),
                false,
                l.updatedAt());
    }

    public static Link weighted(String id, String type, String service, WeightedVersion... wv) {
        return new Link(
                id, 1, "proj", type, MatchType.EXACT, null, service, null, List.of(wv), true, T0);
    }

    public static TriggerEvent event(String id, String type) {
        return event(id, type, Map.of());
    }

    public static TriggerEvent event(String id, String type, Map<String, String> extensions) {
        return new TriggerEvent(
                id,
                "urn:test",
                type,
                null,
                null,
                "application/json",
                null,
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                extensions);
    }

    public static CloudEvent cloudEvent(String id, String type, byte[] data) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create("urn:test"))
                .withType(type)
                .withDataContentType("application/octet-stream")
                .withData(data)
                .build();
    }

    public static ConsumedEvent inbound(TriggerEvent e, long offset) {
        return new ConsumedEvent("fx.events", 0, offset, null, e);
    }

    public static LinkUpdate upsert(LinkTopicValue value) {
        return LinkUpdate.of(LinkTopicRecord.upsert(value), "fx.links", 0, 0);
    }

    public static LinkUpdate delete(LinkTopicKey key) {
        return LinkUpdate.of(LinkTopicRecord.delete(key), "fx.links", 0, 0);
    }
}
