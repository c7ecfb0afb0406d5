package io.fxflink.contracts.cloudevents;

import io.cloudevents.CloudEvent;
import io.fxflink.contracts.execution.TriggerEvent;

/** Outcome of decoding a Kafka record as a CloudEvent: the event, or why it is not one. */
public sealed interface DecodedEvent {

    /** Why a record is not an acceptable CloudEvent. */
    enum Problem {
        /** Neither a ce_specversion header (binary) nor a structured content-type. */
        NOT_A_CLOUDEVENT,
        INVALID_SPECVERSION,
        MISSING_ATTRIBUTE,
        INVALID_ATTRIBUTE,
        MALFORMED_STRUCTURED_EVENT,
        UNSUPPORTED_CONTENT_TYPE,
        OVERSIZE
    }

    boolean isOk();

    /**
     * @param event the SDK event; in binary mode its data is the record value, unparsed
     * @param trigger the same event as a plain value (attributes, extensions, data bytes)
     */
    record Ok(CloudEvent event, TriggerEvent trigger) implements DecodedEvent {
        @Override
        public boolean isOk() {
            return true;
        }
    }

    /**
     * @param message one line naming what is missing or wrong, for the dead letter
     */
    record Rejected(Problem problem, String message) implements DecodedEvent {
        @Override
        public boolean isOk() {
            return false;
        }
    }
}
