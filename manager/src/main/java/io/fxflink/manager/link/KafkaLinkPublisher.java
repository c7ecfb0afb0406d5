package io.fxflink.manager.link;

import io.fxflink.manager.api.DurableProducers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Idempotent producer with acks=all: in-order, no broker-side duplicates from retries. */
public final class KafkaLinkPublisher implements LinkPublisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaLinkPublisher(String bootstrap, String topic) {
        this.producer = DurableProducers.create(bootstrap, "fx-manager-links", 0, 1 << 20);
        this.topic = topic;
    }

    @Override
    public void publish(List<Message> messages) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(messages.size());
        for (Message m : messages) {
            acks.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic, m.key().getBytes(StandardCharsets.UTF_8), m.value())));
        }
        producer.flush();
        for (Future<RecordMetadata> f : acks) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
