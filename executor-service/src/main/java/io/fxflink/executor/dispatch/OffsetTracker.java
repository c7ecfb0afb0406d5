package io.fxflink.executor.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: per partition, everything below the lowest offset that is still
 * outstanding (received but without a durable outcome). Thread-safe.
 */
final class OffsetTracker {
    private final Map<TopicPartition, TreeSet<Long>> outstanding = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    synchronized void received(TopicPartition tp, long offset) {
        outstanding.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
        next.merge(tp, offset + 1, Math::max);
    }

    synchronized void done(TopicPartition tp, long offset) {
        TreeSet<Long> set = outstanding.get(tp);
        if (set != null) {
            set.remove(offset);
        }
    }

    synchronized int outstanding(TopicPartition tp) {
        TreeSet<Long> set = outstanding.get(tp);
        return set == null ? 0 : set.size();
    }

    /** Offsets that advanced since the last call (and marks them committed). */
    synchronized Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
            TreeSet<Long> set = outstanding.get(e.getKey());
            long commit = set == null || set.isEmpty() ? e.getValue() : set.first();
            Long last = committed.get(e.getKey());
            if (last == null || commit > last) {
                out.put(e.getKey(), new OffsetAndMetadata(commit));
                committed.put(e.getKey(), commit);
            }
        }
        return out;
    }

    synchronized void forget(TopicPartition tp) {
        outstanding.remove(tp);
        next.remove(tp);
        committed.remove(tp);
    }
}
