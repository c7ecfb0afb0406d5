package io.fxflink.manager;

import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.testsupport.RealServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Everything one test class needs to run a real manager against the shared real servers. */
final class ManagerFixture {
    final RealServers servers;
    final RealServers.PgDatabase db;
    final String linksTopic;
    final String eventsTopic;
    final String bucket;

    ManagerFixture(RealServers servers) {
        this.servers = servers;
        this.db = servers.newDatabase("mgr");
        this.linksTopic =
                servers.newTopic(
                        "links",
                        1,
                        Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        this.eventsTopic = servers.newTopic("events", 2);
        this.bucket = servers.newBucketName("pkgs");
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("FX_MANAGER_PORT", "0");
        env.put("FX_PG_URL", db.url());
        env.put("FX_PG_USER", db.user());
        env.put("FX_PG_PASSWORD", db.password());
        env.put("FX_MANAGER_DB_POOL_SIZE", "4");
        env.put("FX_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
        env.put("FX_LINKS_TOPIC", linksTopic);
        env.put("FX_EVENTS_TOPIC", eventsTopic);
        env.put("FX_S3_ENDPOINT", servers.s3Endpoint());
        env.put("FX_S3_ACCESS_KEY", servers.s3AccessKey());
        env.put("FX_S3_SECRET_KEY", servers.s3SecretKey());
        env.put("FX_PACKAGES_BUCKET", bucket);
        env.put("FX_MANAGER_MAX_PACKAGE_BYTES", Integer.toString(2 << 20));
        env.put("FX_MANAGER_MAX_UNCOMPRESSED_BYTES", Integer.toString(16 << 20));
        return env;
    }

    ManagerConfig config() {
        return ManagerConfig.fromEnv(env());
    }

    ManagerApp start() {
        return start(Map.of());
    }

    ManagerApp start(Map<String, String> overrides) {
        Map<String, String> env = env();
        env.putAll(overrides);
        ManagerConfig c = ManagerConfig.fromEnv(env);
        return new ManagerApp(c, ManagerDeps.create(c)).start();
    }

    /** Every CloudEvent on the events topic (all partitions) up to its current end. */
    List<io.cloudevents.CloudEvent> readEvents(Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<TopicPartition> tps =
                List.of(new TopicPartition(eventsTopic, 0), new TopicPartition(eventsTopic, 1));
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            List<io.cloudevents.CloudEvent> out = new ArrayList<>();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    var decoded = io.fxflink.contracts.cloudevents.KafkaCloudEvents.decode(r);
                    if (decoded instanceof io.fxflink.contracts.cloudevents.DecodedEvent.Ok ok) {
                        out.add(ok.event());
                    } else {
                        throw new AssertionError(
                                "undecodable record on the events topic: " + decoded);
                    }
                }
            }
            return out;
        }
    }

    /**
     * Every record on the links topic from the beginning up to its current end, decoded, in order.
     */
    List<LinkTopicRecord> readLinks(Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        TopicPartition tp = new TopicPartition(linksTopic, 0);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            long deadline = System.nanoTime() + timeout.toNanos();
            long end = c.endOffsets(List.of(tp)).get(tp);
            c.seekToBeginning(List.of(tp));
            List<LinkTopicRecord> out = new ArrayList<>();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(LinkTopicCodec.decode(r.key(), r.value()));
                }
            }
            return out;
        }
    }
}
