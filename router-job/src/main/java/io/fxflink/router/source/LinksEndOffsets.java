package io.fxflink.router.source;

import java.io.Serializable;
import java.util.Map;

/**
 * End offsets of the links topic when a router task starts: once the broadcast side has applied
 * every record before them, the task knows all links that existed at start and routes events.
 */
@FunctionalInterface
public interface LinksEndOffsets extends Serializable {
    /**
     * Partition to end offset (next offset to be written); empty when the topic is empty; null when
     * unknown (then the bootstrap timeout decides).
     */
    Map<Integer, Long> fetch();

    /** For tests and jobs without a links backlog: ready at once. */
    static LinksEndOffsets none() {
        return Map::of;
    }
}
