package io.fxflink.contracts.link;

import java.util.Objects;

/** One record of the links topic: an upsert of a link/service, or a delete (tombstone). */
public sealed interface LinkTopicRecord {
    LinkTopicKey key();

    record Upsert(LinkTopicValue value) implements LinkTopicRecord {
        public Upsert {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public LinkTopicKey key() {
            return value.key();
        }
    }

    record Delete(LinkTopicKey key) implements LinkTopicRecord {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    static LinkTopicRecord upsert(LinkTopicValue value) {
        return new Upsert(value);
    }

    static LinkTopicRecord delete(LinkTopicKey key) {
        return new Delete(key);
    }
}
