package io.fxflink.contracts.link;

import io.fxflink.contracts.internal.Checks;
import io.fxflink.contracts.serde.InvalidRecordException;
import java.nio.charset.StandardCharsets;

/** Key on the links topic: {@code link:<id>} or {@code service:<name>}. */
public record LinkTopicKey(Kind kind, String id) {
    public enum Kind {
        LINK("link"),
        SERVICE("service");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** The key prefix and the value's {@code kind} discriminator. */
        public String wire() {
            return wire;
        }
    }

    public LinkTopicKey {
        Checks.required(kind, "kind");
        Checks.id(id, "id");
    }

    public static LinkTopicKey link(String id) {
        return new LinkTopicKey(Kind.LINK, id);
    }

    public static LinkTopicKey service(String name) {
        return new LinkTopicKey(Kind.SERVICE, name);
    }

    public static LinkTopicKey parse(byte[] key) {
        if (key == null) {
            throw new InvalidRecordException("LinkTopicKey", "no key (null)");
        }
        if (key.length > Checks.MAX_ID_CHARS + 16) {
            throw new InvalidRecordException("LinkTopicKey", "key is too long: " + key.length);
        }
        return parse(new String(key, StandardCharsets.UTF_8));
    }

    public static LinkTopicKey parse(String key) {
        int colon = key.indexOf(':');
        String prefix = colon < 0 ? key : key.substring(0, colon);
        for (Kind kind : Kind.values()) {
            if (kind.wire.equals(prefix)) {
                try {
                    return new LinkTopicKey(kind, key.substring(colon + 1));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRecordException("LinkTopicKey", e.getMessage());
                }
            }
        }
        throw new InvalidRecordException(
                "LinkTopicKey", "key must start with 'link:' or 'service:', was " + clip(key));
    }

    public String asString() {
        return kind.wire + ":" + id;
    }

    public byte[] toBytes() {
        return asString().getBytes(StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        return s.length() <= 60 ? "'" + s + "'" : "'" + s.substring(0, 60) + "...'";
    }

    @Override
    public String toString() {
        return asString();
    }
}
