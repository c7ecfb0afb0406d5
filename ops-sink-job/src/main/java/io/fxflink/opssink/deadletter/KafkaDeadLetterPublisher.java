package io.fxflink.opssink.deadletter;

import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.serde.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes dead letters to the dead-letter topic with acks=all, keyed by record id. */
public final class KafkaDeadLetterPublisher implements DeadLetterPublisher {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaDeadLetterPublisher(String bootstrap, String topic, Map<String, String> extra) {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** A factory the sink can ship to the task managers. */
    public static Factory factory(String bootstrap, String topic, Map<String, String> extra) {
        Map<String, String> props = Map.copyOf(extra);
        return () -> new KafkaDeadLetterPublisher(bootstrap, topic, props);
    }

    @Override
    public void publish(List<DeadLetterRecord> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (DeadLetterRecord r : records) {
            sent.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    r.recordId().getBytes(StandardCharsets.UTF_8),
                                    Codecs.DEAD_LETTER.encode(r))));
        }
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing dead letters", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not publish " + records.size() + " dead letters to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
