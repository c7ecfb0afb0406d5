package io.fxflink.router.schedule;

import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.jobs.types.ConsumedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

/**
 * The synthesized {@code fx.platform.scheduled} trigger event of one cron slot. Its id is made of
 * the service and the slot time, so a slot fired again after a failover has the same id, and so the
 * same execution id: downstream sees one execution per slot.
 */
public final class ScheduledTriggers {
    private ScheduledTriggers() {}

    public static String eventId(String service, Instant slot) {
        String id = "scheduled/" + service + "/" + slot;
        // event ids are at most 256 characters; very long service names are hashed (stable)
        return id.length() <= 256 ? id : "scheduled/sha256:" + sha256(service) + "/" + slot;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The trigger as an input of the routing function. Its position names the schedule (topic
     * {@code schedule:<service>}, offset = slot millis), so a dead letter of it has a stable id.
     */
    public static ConsumedEvent inbound(String service, Instant slot) {
        String position = "schedule:" + service;
        // a dead letter's source topic is at most 249 characters; service names may be longer
        return new ConsumedEvent(
                position.length() <= 249 ? position : position.substring(0, 249),
                0,
                slot.toEpochMilli(),
                null,
                event(service, slot));
    }

    public static TriggerEvent event(String service, Instant slot) {
        byte[] data =
                ("{\"service\":\"" + service + "\",\"slot\":\"" + slot + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        return new TriggerEvent(
                eventId(service, slot),
                PlatformEventTypes.SOURCE,
                PlatformEventTypes.SCHEDULED,
                service,
                slot.atOffset(ZoneOffset.UTC),
                "application/json",
                null,
                data,
                Map.of(FxExtensions.TARGET_SERVICE, service));
    }
}
