package io.fxflink.contracts.cloudevents;

/**
 * Event types the platform emits itself: every execution has a trigger event, also manual and
 * scheduled runs. Both carry the target service in {@link FxExtensions#TARGET_SERVICE}.
 */
public final class PlatformEventTypes {
    public static final String MANUAL = "fx.platform.manual";
    public static final String SCHEDULED = "fx.platform.scheduled";

    /** Source attribute of the events the platform emits. */
    public static final String SOURCE = "urn:fx:platform";

    private PlatformEventTypes() {}

    /** Manual and scheduled triggers go straight to their target service, not through links. */
    public static boolean isDirectTrigger(String type) {
        return MANUAL.equals(type) || SCHEDULED.equals(type);
    }
}
