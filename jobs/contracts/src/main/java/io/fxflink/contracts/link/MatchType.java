package io.fxflink.contracts.link;

/** How a link's {@code eventType} is compared with an event's type. */
public enum MatchType {
    EXACT,
    PREFIX;

    public boolean matches(String pattern, String eventType) {
        return switch (this) {
            case EXACT -> pattern.equals(eventType);
            case PREFIX -> eventType.startsWith(pattern);
        };
    }
}
