package io.fxflink.stack;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The servers of the local stack. */
public enum ServerKind {
    KAFKA,
    ELASTICSEARCH,
    S3,
    POSTGRES;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServerKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ServerKind k : values()) {
            if (k.id().equals(t) || (k == ELASTICSEARCH && t.equals("es"))) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown server '"
                        + text
                        + "'; expected one of kafka, elasticsearch, s3, postgres");
    }

    public static Set<ServerKind> parseList(String csv) {
        EnumSet<ServerKind> kinds = EnumSet.noneOf(ServerKind.class);
        for (String part : csv.split(",")) {
            if (!part.isBlank()) {
                kinds.add(parse(part));
            }
        }
        return kinds;
    }
}
