package io.fxflink.manager.health;

import io.fxflink.manager.health.ComponentHealth.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The executor as the platform needs it, seen from Kafka: the executor's consumer group on the
 * executions topic, how many requests wait in it (end offsets − committed offsets, a partition
 * without a committed offset counts from its earliest offset) and how many executors are members.
 *
 * <ul>
 *   <li>DOWN: requests are waiting and no executor is a member of the group
 *   <li>DEGRADED: more requests wait than the bound, or no executor is a member (nothing waits)
 * </ul>
 */
public final class ExecutorLagHealth implements ComponentCheck {
    private static final int TIMEOUT_MS = 2500;

    private final Supplier<Admin> adminFactory;
    private final String group;
    private final String topic;
    private final long maxLag;
    private Admin admin;

    public ExecutorLagHealth(String bootstrap, String group, String topic, long maxLag) {
        this(() -> Admin.create(props(bootstrap)), group, topic, maxLag);
    }

    ExecutorLagHealth(Supplier<Admin> adminFactory, String group, String topic, long maxLag) {
        this.adminFactory = adminFactory;
        this.group = group;
        this.topic = topic;
        this.maxLag = maxLag;
    }

    private static Properties props(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fx-manager-health");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        return p;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = adminFactory.get();
        }
        return admin;
    }

    @Override
    public ComponentHealth check() throws Exception {
        Admin a = admin();
        var description = a.describeTopics(List.of(topic)).allTopicNames();
        List<TopicPartition> partitions =
                description.get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            latest.put(tp, OffsetSpec.latest());
            earliest.put(tp, OffsetSpec.earliest());
        }
        var ends = a.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        var starts = a.listOffsets(earliest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed =
                a.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        int members = members(a);
        long lag = 0;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : starts.get(tp).offset();
            lag += Math.max(0, ends.get(tp).offset() - from);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("group", group);
        details.put("topic", topic);
        details.put("lag", lag);
        details.put("members", members);
        details.put("maxLag", maxLag);
        String seen =
                "lag " + lag + " on " + topic + " (group " + group + ", " + members + " member(s))";
        if (members == 0 && lag > 0) {
            return ComponentHealth.of(
                    Status.DOWN,
                    "no executor consumes "
                            + topic
                            + ": "
                            + lag
                            + " request(s) wait (group "
                            + group
                            + " has no members)",
                    details);
        }
        if (members == 0) {
            return ComponentHealth.of(
                    Status.DEGRADED,
                    "no executor consumes " + topic + " (group " + group + " has no members)",
                    details);
        }
        if (lag > maxLag) {
            return ComponentHealth.of(
                    Status.DEGRADED, seen + " is above the bound " + maxLag, details);
        }
        return ComponentHealth.up(seen, details);
    }

    private int members(Admin a) throws Exception {
        try {
            ConsumerGroupDescription d =
                    a.describeConsumerGroups(List.of(group))
                            .describedGroups()
                            .get(group)
                            .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return d.members().size();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }
}
