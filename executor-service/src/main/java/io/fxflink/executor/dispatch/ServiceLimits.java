package io.fxflink.executor.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-service concurrency limits, learned from each service's manifest ({@code concurrency}, 0 = no
 * limit) the first time its package is loaded.
 */
public final class ServiceLimits {
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();

    void learn(String service, int concurrency) {
        limits.put(service, concurrency <= 0 ? Integer.MAX_VALUE : concurrency);
    }

    int limit(String service) {
        return limits.getOrDefault(service, Integer.MAX_VALUE);
    }
}
