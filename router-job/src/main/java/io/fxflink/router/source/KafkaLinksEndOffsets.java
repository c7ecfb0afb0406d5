package io.fxflink.router.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks Kafka for the links topic's end offsets (read_committed, like the source reads it). */
public final class KafkaLinksEndOffsets implements LinksEndOffsets {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLinksEndOffsets.class);
    private static final long TIMEOUT_SECONDS = 15;

    private final String bootstrap;
    private final String topic;
    private final Map<String, String> kafkaProperties;

    public KafkaLinksEndOffsets(
            String bootstrap, String topic, Map<String, String> kafkaProperties) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
    }

    @Override
    public Map<Integer, Long> fetch() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            TopicDescription d =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .get(topic);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            d.partitions()
                    .forEach(
                            pi ->
                                    request.put(
                                            new TopicPartition(topic, pi.partition()),
                                            OffsetSpec.latest()));
            ListOffsetsResult result =
                    admin.listOffsets(
                            request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
            Map<Integer, Long> out = new HashMap<>();
            for (var e : result.all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet()) {
                out.put(e.getKey().partition(), e.getValue().offset());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            LOG.warn(
                    "Cannot read the end offsets of links topic {}: events wait for the bootstrap"
                            + " timeout instead ({})",
                    topic,
                    e.toString());
            return null;
        }
    }
}
