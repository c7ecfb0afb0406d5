package io.fxflink.contracts.link;

/** A configuration that lives on the compacted links topic: a {@link Link} or a service. */
public sealed interface LinkTopicValue permits Link, ServiceConfig {
    LinkTopicKey key();

    /** Monotonically increasing per key; receivers ignore values older than what they hold. */
    long version();
}
