package io.fxflink.manager.event;

import io.cloudevents.CloudEvent;
import io.fxflink.contracts.cloudevents.KafkaCloudEvents;
import io.fxflink.manager.api.DurableProducers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * CloudEvents in binary content mode (ce_* headers, value = data) with acks=all and idempotence;
 * the key is the event id, so redeliveries of one event land on one partition.
 */
public final class KafkaEventPublisher implements EventPublisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaEventPublisher(String bootstrap, String topic) {
        this.producer = DurableProducers.create(bootstrap, "fx-manager-events", 2, 2 << 20);
        this.topic = topic;
    }

    @Override
    public void publish(List<CloudEvent> events) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (CloudEvent e : events) {
            acks.add(
                    producer.send(
                            KafkaCloudEvents.toBinaryRecord(
                                    topic, e.getId().getBytes(StandardCharsets.UTF_8), e)));
        }
        // wait for this request's own acks only: flush() would wait for every request's records
        // in flight on the shared producer, so concurrent posts queued behind each other
        for (Future<RecordMetadata> f : acks) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void check() throws Exception {
        producer.partitionsFor(topic);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
