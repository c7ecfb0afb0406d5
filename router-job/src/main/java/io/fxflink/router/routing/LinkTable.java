package io.fxflink.router.routing;

import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicValue;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.ServiceConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The links and service configurations one router task knows, indexed for matching: enabled links
 * by exact event type, then by type prefix (looked up by the distinct prefix lengths, so a lookup
 * costs one hash probe per length, not one comparison per link). Filters are compiled when a link
 * version arrives, never per event. The index is rebuilt lazily after changes. Not thread-safe (one
 * instance per Flink task).
 */
public final class LinkTable {
    private final Map<String, CompiledLink> links = new HashMap<>();
    private final Map<String, ServiceConfig> services = new HashMap<>();

    private Map<String, List<CompiledLink>> exact = Map.of();
    private Map<String, List<CompiledLink>> prefixes = Map.of();
    private int[] prefixLengths = new int[0];
    private boolean dirty;

    /** Adds or replaces a link or service (the caller has checked the version). */
    public void put(LinkTopicValue value) {
        if (value instanceof Link link) {
            links.put(link.id(), CompiledLink.compile(link));
        } else {
            ServiceConfig service = (ServiceConfig) value;
            services.put(service.service(), service);
        }
        dirty = true;
    }

    public void remove(LinkTopicKey key) {
        if (key.kind() == LinkTopicKey.Kind.LINK) {
            links.remove(key.id());
        } else {
            services.remove(key.id());
        }
        dirty = true;
    }

    public void clear() {
        links.clear();
        services.clear();
        dirty = true;
    }

    public Optional<ServiceConfig> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    public Optional<Link> link(String id) {
        CompiledLink c = links.get(id);
        return c == null ? Optional.empty() : Optional.of(c.link());
    }

    public int linkCount() {
        return links.size();
    }

    public int serviceCount() {
        return services.size();
    }

    /** Enabled links whose event type matches {@code type} (exact first, then prefixes). */
    public List<CompiledLink> candidates(String type) {
        if (dirty) {
            reindex();
        }
        List<CompiledLink> byExact = exact.get(type);
        List<CompiledLink> out = byExact == null ? new ArrayList<>(2) : new ArrayList<>(byExact);
        for (int len : prefixLengths) {
            if (len > type.length()) {
                break;
            }
            List<CompiledLink> byPrefix = prefixes.get(type.substring(0, len));
            if (byPrefix != null) {
                out.addAll(byPrefix);
            }
        }
        return out;
    }

    private void reindex() {
        Map<String, List<CompiledLink>> newExact = new HashMap<>();
        Map<String, List<CompiledLink>> newPrefixes = new HashMap<>();
        TreeSet<Integer> lengths = new TreeSet<>();
        // sorted by id so every task (and every replay) emits requests in the same order
        List<CompiledLink> sorted = new ArrayList<>(links.values());
        sorted.sort((a, b) -> a.link().id().compareTo(b.link().id()));
        for (CompiledLink c : sorted) {
            Link link = c.link();
            if (!link.enabled()) {
                continue;
            }
            if (link.match() == MatchType.EXACT) {
                newExact.computeIfAbsent(link.eventType(), t -> new ArrayList<>()).add(c);
            } else {
                newPrefixes.computeIfAbsent(link.eventType(), t -> new ArrayList<>()).add(c);
                lengths.add(link.eventType().length());
            }
        }
        exact = newExact;
        prefixes = newPrefixes;
        prefixLengths = lengths.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(prefixLengths);
        dirty = false;
    }
}
