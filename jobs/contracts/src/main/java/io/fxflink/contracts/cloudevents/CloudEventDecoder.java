package io.fxflink.contracts.cloudevents;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.rw.CloudEventRWException;
import io.fxflink.contracts.cloudevents.DecodedEvent.Problem;
import io.fxflink.contracts.execution.TriggerEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes Kafka records into CloudEvents with the SDK's {@link CloudEventDeserializer}: binary mode
 * (ce_* headers, value = data, never parsed) natively, structured mode ({@code
 * application/cloudevents+json}) too. Never throws for bad input: it returns {@link
 * DecodedEvent.Rejected} with the reason. Thread-safe.
 */
public final class CloudEventDecoder {
    /** Default upper bound for a record value (an envelope in structured mode). */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

    private static final String STRUCTURED_PREFIX = "application/cloudevents";
    private static final String STRUCTURED_JSON = "application/cloudevents+json";
    private static final String[] REQUIRED_BINARY = {
        "ce_specversion", "ce_id", "ce_source", "ce_type"
    };

    private final int maxValueBytes;
    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();

    public CloudEventDecoder(int maxValueBytes) {
        if (maxValueBytes < 1) {
            throw new IllegalArgumentException("maxValueBytes must be >= 1");
        }
        this.maxValueBytes = maxValueBytes;
    }

    public CloudEventDecoder() {
        this(DEFAULT_MAX_VALUE_BYTES);
    }

    public DecodedEvent decode(ConsumerRecord<byte[], byte[]> record) {
        return decode(record.topic(), record.headers(), record.value());
    }

    public DecodedEvent decode(String topic, Headers headers, byte[] value) {
        if (value != null && value.length > maxValueBytes) {
            return new DecodedEvent.Rejected(
                    Problem.OVERSIZE,
                    "record value is " + value.length + " bytes (max " + maxValueBytes + ")");
        }
        String contentType = header(headers, "content-type");
        boolean structured =
                contentType != null
                        && contentType.toLowerCase(Locale.ROOT).startsWith(STRUCTURED_PREFIX);
        if (structured) {
            if (!contentType.toLowerCase(Locale.ROOT).startsWith(STRUCTURED_JSON)) {
                return new DecodedEvent.Rejected(
                        Problem.UNSUPPORTED_CONTENT_TYPE,
                        "structured content-type '" + contentType + "' is not supported");
            }
            if (value == null || value.length == 0) {
                return new DecodedEvent.Rejected(
                        Problem.MALFORMED_STRUCTURED_EVENT, "structured event has no value");
            }
        } else {
            DecodedEvent missing = missingBinaryHeader(headers);
            if (missing != null) {
                return missing;
            }
            // the SDK decodes header bytes leniently (U+FFFD): an attribute that is not text
            // would become another event's id or type, so it is refused instead
            DecodedEvent notText = invalidUtf8Header(headers);
            if (notText != null) {
                return notText;
            }
        }
        CloudEvent event;
        try {
            event = deserializer.deserialize(topic, headers, value);
        } catch (CloudEventRWException e) {
            return rejected(e, structured);
        } catch (EventDeserializationException e) {
            return new DecodedEvent.Rejected(
                    Problem.MALFORMED_STRUCTURED_EVENT,
                    "malformed structured event: " + oneLine(e));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the SDK builder's required-attribute checks
            return new DecodedEvent.Rejected(
                    structured ? Problem.MALFORMED_STRUCTURED_EVENT : Problem.INVALID_ATTRIBUTE,
                    oneLine(e));
        } catch (RuntimeException e) {
            return new DecodedEvent.Rejected(
                    structured ? Problem.MALFORMED_STRUCTURED_EVENT : Problem.INVALID_ATTRIBUTE,
                    e.getClass().getSimpleName() + ": " + oneLine(e));
        }
        return accept(event);
    }

    private static DecodedEvent accept(CloudEvent event) {
        if (event.getId() == null || event.getId().isBlank()) {
            return new DecodedEvent.Rejected(Problem.MISSING_ATTRIBUTE, "attribute 'id' is empty");
        }
        if (event.getType() == null || event.getType().isBlank()) {
            return new DecodedEvent.Rejected(
                    Problem.MISSING_ATTRIBUTE, "attribute 'type' is empty");
        }
        if (event.getData() != null
                && event.getData().toBytes().length > TriggerEvent.MAX_DATA_BYTES) {
            return new DecodedEvent.Rejected(
                    Problem.OVERSIZE,
                    "event data is larger than " + TriggerEvent.MAX_DATA_BYTES + " bytes");
        }
        try {
            return new DecodedEvent.Ok(event, TriggerEvent.from(event));
        } catch (IllegalArgumentException e) {
            return new DecodedEvent.Rejected(Problem.INVALID_ATTRIBUTE, oneLine(e));
        }
    }

    private static DecodedEvent missingBinaryHeader(Headers headers) {
        if (headers == null || headers.lastHeader("ce_specversion") == null) {
            return new DecodedEvent.Rejected(
                    Problem.NOT_A_CLOUDEVENT,
                    "no ce_specversion header and no structured content-type"
                            + " (application/cloudevents+json)");
        }
        for (String name : REQUIRED_BINARY) {
            Header h = headers.lastHeader(name);
            if (h == null || h.value() == null || h.value().length == 0) {
                return new DecodedEvent.Rejected(
                        Problem.MISSING_ATTRIBUTE, "missing required header " + name);
            }
        }
        return null;
    }

    private static DecodedEvent invalidUtf8Header(Headers headers) {
        for (Header h : headers) {
            String name = h.key();
            if (h.value() != null
                    && (name.startsWith("ce_") || name.equalsIgnoreCase("content-type"))
                    && !isUtf8(h.value())) {
                return new DecodedEvent.Rejected(
                        Problem.INVALID_ATTRIBUTE,
                        "header " + name + " is not valid UTF-8 (" + h.value().length + " bytes)");
            }
        }
        return null;
    }

    private static boolean isUtf8(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return true; // nearly every header: no decoder needed on the per-event path
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static DecodedEvent rejected(CloudEventRWException e, boolean structured) {
        Problem problem =
                switch (e.getKind()) {
                    case INVALID_SPEC_VERSION -> Problem.INVALID_SPECVERSION;
                    case UNKNOWN_ENCODING -> Problem.NOT_A_CLOUDEVENT;
                    case INVALID_ATTRIBUTE_NAME,
                            INVALID_EXTENSION_NAME,
                            INVALID_ATTRIBUTE_TYPE,
                            INVALID_ATTRIBUTE_VALUE ->
                            Problem.INVALID_ATTRIBUTE;
                    default ->
                            structured
                                    ? Problem.MALFORMED_STRUCTURED_EVENT
                                    : Problem.INVALID_ATTRIBUTE;
                };
        return new DecodedEvent.Rejected(problem, oneLine(e));
    }

    private static String header(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null) {
            sb.append(": ").append(cause.getMessage());
        }
        String s = sb.toString().replace('\n', ' ').replace('\r', ' ');
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
