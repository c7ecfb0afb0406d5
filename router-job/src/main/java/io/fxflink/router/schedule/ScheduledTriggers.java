package io.fxflink.router.schedule;

import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.router.source.InboundEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The synthesized {@code fx.platform.scheduled} trigger event of one cron slot. Its id is made of
 * the service and the slot time, so a slot fired again after a failover has the same id, and so the
 * same execution id: downstream sees one execution per slot.
 */
public final class ScheduledTriggers {
    private ScheduledTriggers() {}

    public static String eventId(String service, Instant slot) {
        return "scheduled/" + service + "/" + slot;
    }

    /**
     * The trigger as an input of the routing function. Its position names the schedule (topic
     * {@code schedule:<service>}, offset = slot millis), so a dead letter of it has a stable id.
     */
    public static InboundEvent inbound(String service, Instant slot) {
        return InboundEvent.decoded(
                "schedule:" + service,
                0,
                slot.toEpochMilli(),
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
