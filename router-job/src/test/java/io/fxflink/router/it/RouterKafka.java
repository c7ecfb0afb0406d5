package io.fxflink.router.it;

import io.cloudevents.CloudEvent;
import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.LinkTopicValue;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.router.RouterOptions;
import io.fxflink.testsupport.RealServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

/**
 * Fresh router topics on the real Kafka of the test support, a producer for links and events, and
 * background readers of the executions and dead-letter topics.
 */
final class RouterKafka implements AutoCloseable {
    final TopicNames topics;
    final String bootstrap;
    final KafkaProducer<byte[], byte[]> producer;
    final List<ExecutionRequest> requests = new CopyOnWriteArrayList<>();
    final List<DeadLetterRecord> deadLetters = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    /** Next offset of each partition the readers will hand over (all before it are handled). */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();

    private volatile boolean closed;

    RouterKafka(RealServers servers, int eventPartitions) {
        bootstrap = servers.kafkaBootstrap();
        String events = servers.newTopic("events", eventPartitions);
        String links =
                servers.newTopic(
                        "links",
                        1,
                        Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        String executions = servers.newTopic("executions", 2);
        String dead = servers.newTopic("deadletter", 1);
        topics =
                new TopicNames(
                        events,
                        links,
                        executions,
                        "unused.logs",
                        "unused.ops",
                        "unused.metrics",
                        dead);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p);
        readers.add(
                reader(executions, r -> requests.add(Codecs.EXECUTION_REQUEST.decode(r.value()))));
        readers.add(reader(dead, r -> deadLetters.add(Codecs.DEAD_LETTER.decode(r.value()))));
    }

    RouterOptions options(String groupId) {
        return RouterOptions.defaults()
                .withKafkaBootstrap(bootstrap)
                .withTopics(topics)
                .withGroupId(groupId);
    }

    void publish(LinkTopicValue value) {
        send(LinkTopicCodec.toProducerRecord(topics.links(), LinkTopicRecord.upsert(value)));
    }

    void publish(LinkTopicRecord record) {
        send(LinkTopicCodec.toProducerRecord(topics.links(), record));
    }

    void publishRaw(String topic, byte[] key, byte[] value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    void publishEvent(CloudEvent event) {
        send(KafkaCloudEvents.toBinaryRecord(topics.events(), event.getId().getBytes(), event));
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + record.topic(), e);
        }
    }

    /**
     * Waits until the readers have handed over every record of the executions and dead-letter
     * topics up to their end offsets (read_committed) taken now: a negative check on {@link
     * #requests} or {@link #deadLetters} afterwards sees everything written before this call.
     */
    void awaitReadToEnd() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(topics.executions(), topics.deadLetter())) {
                c.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            }
            end = c.endOffsets(parts, Duration.ofSeconds(30));
        }
        Awaitility.await("readers at the end offsets " + end)
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                end.entrySet().stream()
                                        .allMatch(
                                                e ->
                                                        positions.getOrDefault(e.getKey(), 0L)
                                                                >= e.getValue()));
    }

    private interface RecordHandler {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    private Thread reader(String topic, RecordHandler handler) {
        Thread t =
                new Thread(
                        () -> {
                            Properties p = new Properties();
                            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                            p.put(
                                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                    ByteArrayDeserializer.class.getName());
                            p.put(
                                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                    ByteArrayDeserializer.class.getName());
                            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                                List<TopicPartition> parts =
                                        c.partitionsFor(topic).stream()
                                                .map(i -> new TopicPartition(topic, i.partition()))
                                                .toList();
                                c.assign(parts);
                                c.seekToBeginning(parts);
                                while (!closed) {
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            c.poll(Duration.ofMillis(50))) {
                                        handler.accept(r);
                                    }
                                    for (TopicPartition tp : parts) {
                                        positions.put(tp, c.position(tp));
                                    }
                                }
                            }
                        },
                        "reader-" + topic);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread t : readers) {
            t.join(5000);
        }
        producer.close(Duration.ofSeconds(5));
    }
}
