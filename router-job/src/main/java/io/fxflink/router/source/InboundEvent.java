package io.fxflink.router.source;

import io.fxflink.contracts.execution.TriggerEvent;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * One record of the events topic on its way to the router: a decoded CloudEvent (attributes,
 * extensions and the untouched data bytes) or, when {@link #rejectReason} is set, the raw record
 * with the reason it is not a routable CloudEvent.
 *
 * <p>A Flink POJO on purpose (public fields of basic types): Flink serializes it between the source
 * and the keyed router without Kryo and without re-encoding the event.
 */
public class InboundEvent {
    // where it came from (dead letters point back to it)
    public String topic;
    public int partition;
    public long offset;
    public long kafkaTimestamp;
    public byte[] key;

    // decoded CloudEvent (null when rejected)
    public String id;
    public String source;
    public String type;
    public String subject;
    public String time;
    public String datacontenttype;
    public String dataschema;
    public byte[] data;
    public String[] extensionNames;
    public String[] extensionValues;

    // rejected record (null when decoded)
    public String rejectReason;
    public byte[] rawValue;
    public String[] rawHeaderNames;
    public byte[][] rawHeaderValues;

    public InboundEvent() {}

    public static InboundEvent decoded(
            String topic,
            int partition,
            long offset,
            long kafkaTimestamp,
            byte[] key,
            TriggerEvent event) {
        InboundEvent e = new InboundEvent();
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        e.kafkaTimestamp = kafkaTimestamp;
        e.key = key;
        e.id = event.id();
        e.source = event.source();
        e.type = event.type();
        e.subject = event.subject();
        e.time = event.time() == null ? null : event.time().toString();
        e.datacontenttype = event.datacontenttype();
        e.dataschema = event.dataschema();
        e.data = event.data();
        Map<String, String> ext = event.extensions();
        e.extensionNames = new String[ext.size()];
        e.extensionValues = new String[ext.size()];
        int i = 0;
        for (Map.Entry<String, String> x : ext.entrySet()) {
            e.extensionNames[i] = x.getKey();
            e.extensionValues[i] = x.getValue();
            i++;
        }
        return e;
    }

    public static InboundEvent rejected(
            String topic,
            int partition,
            long offset,
            long kafkaTimestamp,
            byte[] key,
            byte[] value,
            Map<String, byte[]> headers,
            String reason) {
        InboundEvent e = new InboundEvent();
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        e.kafkaTimestamp = kafkaTimestamp;
        e.key = key;
        e.rejectReason = reason;
        e.rawValue = value;
        e.rawHeaderNames = headers.keySet().toArray(new String[0]);
        e.rawHeaderValues = new byte[e.rawHeaderNames.length][];
        for (int i = 0; i < e.rawHeaderNames.length; i++) {
            e.rawHeaderValues[i] = headers.get(e.rawHeaderNames[i]);
        }
        return e;
    }

    /**
     * A shallow copy, for keeping an input in heap state while object reuse is on (fields are
     * replaced, never mutated, by Flink's deserializers and by this code).
     */
    public InboundEvent copy() {
        InboundEvent e = new InboundEvent();
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        e.kafkaTimestamp = kafkaTimestamp;
        e.key = key;
        e.id = id;
        e.source = source;
        e.type = type;
        e.subject = subject;
        e.time = time;
        e.datacontenttype = datacontenttype;
        e.dataschema = dataschema;
        e.data = data;
        e.extensionNames = extensionNames;
        e.extensionValues = extensionValues;
        e.rejectReason = rejectReason;
        e.rawValue = rawValue;
        e.rawHeaderNames = rawHeaderNames;
        e.rawHeaderValues = rawHeaderValues;
        return e;
    }

    public boolean isRejected() {
        return rejectReason != null;
    }

    /**
     * Key of the router's keyed state (event de-duplication): CloudEvents ids are unique per source
     * only, so the key is source and id.
     */
    public String dedupeKey() {
        return source + '\n' + id;
    }

    /** The event as a plain value (validated again: the POJO may come from anywhere). */
    public TriggerEvent toTriggerEvent() {
        Map<String, String> ext = new TreeMap<>();
        if (extensionNames != null) {
            for (int i = 0; i < extensionNames.length; i++) {
                ext.put(extensionNames[i], extensionValues[i]);
            }
        }
        return new TriggerEvent(
                id,
                source,
                type,
                subject,
                time == null ? null : OffsetDateTime.parse(time),
                datacontenttype,
                dataschema,
                data,
                ext);
    }

    public Map<String, byte[]> rawHeaders() {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        if (rawHeaderNames != null) {
            for (int i = 0; i < rawHeaderNames.length; i++) {
                out.put(rawHeaderNames[i], rawHeaderValues[i]);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return isRejected()
                ? "InboundEvent[rejected "
                        + topic
                        + "/"
                        + partition
                        + "/"
                        + offset
                        + ": "
                        + rejectReason
                        + "]"
                : "InboundEvent["
                        + topic
                        + "/"
                        + partition
                        + "/"
                        + offset
                        + " id="
                        + id
                        + " type="
                        + type
                        + "]";
    }
}
