package io.fxflink.router.routing;

import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.jobs.types.ConsumedEvent;
import io.fxflink.router.source.LinkUpdate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Builds the router's own dead-letter records (routing failures, broken links records, schedules):
 * the reason plus the original bytes. Undecodable events are dead-lettered by the shared source
 * schema; all of them go to the shared side output {@code DeadLetters.TAG}.
 */
public final class DeadLetterRecords {
    private DeadLetterRecords() {}

    /**
     * A decoded event that could not be (fully) routed. The original bytes are the event in binary
     * mode: value = data, ce_* headers (the form it arrived in, unless it came structured).
     */
    public static DeadLetterRecord unrouted(ConsumedEvent e, String reason, Instant now) {
        TriggerEvent event = e.event();
        Map<String, byte[]> headers = new LinkedHashMap<>();
        try {
            ProducerRecord<byte[], byte[]> binary =
                    KafkaCloudEvents.toBinaryRecord(e.topic(), e.key(), event.toCloudEvent());
            for (Header h : binary.headers()) {
                headers.put(h.key(), h.value());
            }
        } catch (RuntimeException ex) {
            // the reason and data still go out; the headers are a convenience
        }
        return DeadLetterRecord.ofConsumed(
                DeadLetterStage.ROUTER,
                "event "
                        + event.source()
                        + " / "
                        + event.id()
                        + " ("
                        + event.type()
                        + "): "
                        + reason,
                e.topic(),
                e.partition(),
                e.offset(),
                now,
                e.key(),
                event.data(),
                headers);
    }

    /** A record of the links topic that cannot be decoded or validated. */
    public static DeadLetterRecord badLinkRecord(LinkUpdate u, Instant now) {
        return DeadLetterRecord.ofConsumed(
                DeadLetterStage.ROUTER,
                "invalid links record: " + u.rejectReason,
                u.topic,
                u.partition,
                u.offset,
                now,
                u.rawKey,
                u.rawValue,
                Map.of());
    }

    /**
     * A service configuration whose schedule cannot run (invalid cron, no default version). The
     * record id names the configuration version, so a replay overwrites instead of duplicating.
     */
    public static DeadLetterRecord badSchedule(
            String service, long configVersion, byte[] configJson, String reason, Instant now) {
        return badSchedule(
                "schedule/" + service + "/v" + configVersion, service, configJson, reason, now);
    }

    /**
     * A cron slot that could not produce a request (e.g. no default version); id names the slot.
     */
    public static DeadLetterRecord badSlot(
            String service, Instant slot, byte[] configJson, String reason, Instant now) {
        return badSchedule("schedule/" + service + "/" + slot, service, configJson, reason, now);
    }

    private static DeadLetterRecord badSchedule(
            String recordId, String service, byte[] configJson, String reason, Instant now) {
        return new DeadLetterRecord(
                recordId,
                DeadLetterStage.ROUTER,
                clip("service '" + service + "' schedule: " + reason),
                null,
                -1,
                -1,
                now,
                null,
                configJson != null && configJson.length <= DeadLetterRecord.MAX_ORIGINAL_BYTES
                        ? configJson
                        : null,
                configJson == null ? 0 : configJson.length,
                configJson != null && configJson.length > DeadLetterRecord.MAX_ORIGINAL_BYTES,
                Map.of());
    }

    private static String clip(String s) {
        return s.length() <= DeadLetterRecord.MAX_REASON_CHARS
                ? s
                : s.substring(0, DeadLetterRecord.MAX_REASON_CHARS);
    }
}
