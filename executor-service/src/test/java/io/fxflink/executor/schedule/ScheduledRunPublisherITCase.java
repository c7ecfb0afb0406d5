package io.fxflink.executor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.executor.ExecutorTestKit;
import io.fxflink.executor.ops.OpsPublisher;
import io.fxflink.schema.FxSchema;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two publishers (as on two executors) drain one scheduled-runs table at the same time against the
 * real PostgreSQL and Kafka: both hold a claimed batch at the same moment (each skipped the rows
 * the other had locked), every due run is claimed and published by exactly one of them, once, and
 * runs not yet due stay.
 */
class ScheduledRunPublisherITCase {
    @RegisterExtension
    static final RealServers SERVERS = RealServers.of(ServerKind.KAFKA, ServerKind.POSTGRES);

    @Test
    void twoPublishersPublishEveryDueRunExactlyOnce() throws Exception {
        RealServers.PgDatabase db = SERVERS.newDatabase("sched");
        FxSchema.migrate(db.url(), db.user(), db.password());
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        ScheduledRuns runs = new ScheduledRuns(ds);
        Instant past = Instant.now().minusSeconds(5);
        int due = 250;
        for (int i = 0; i < due; i++) {
            runs.schedule(
                    "run-" + i,
                    "svc-" + (i % 3),
                    new RetrySchedule(past, null),
                    "{\"i\":" + i + "}",
                    "exec-" + i,
                    "ev-" + i,
                    "root-" + i);
        }
        runs.schedule(
                "later",
                "svc-0",
                new RetrySchedule(Instant.now().plusSeconds(3600), null),
                null,
                "exec-x",
                "ev-x",
                "root-x");
        // the same run again (a re-run of the execution after a crash) is not a second run
        runs.schedule(
                "run-0",
                "svc-0",
                new RetrySchedule(past, null),
                "{\"i\":0}",
                "exec-0",
                "ev-0",
                "root-0");

        String events = SERVERS.newTopic("sched-events", 3);
        TopicNames topics =
                TopicNames.withOverrides(Map.of(io.fxflink.contracts.topic.Topics.EVENTS, events));
        // each publisher's first send waits (its batch locked, its transaction open) until the
        // other one also holds a batch: both claim from the same due rows at the same time
        CountDownLatch bothHoldABatch = new CountDownLatch(2);
        List<GatedProducer> producers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> publishers = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                GatedProducer producer =
                        new GatedProducer(SERVERS.kafkaBootstrap(), bothHoldABatch);
                producers.add(producer);
                ScheduledRunPublisher publisher =
                        new ScheduledRunPublisher(ds, new OpsPublisher(producer, topics));
                publishers.add(
                        () -> {
                            int total = 0;
                            int n;
                            while ((n = publisher.publishDue()) > 0) {
                                total += n;
                            }
                            return total;
                        });
            }
            int published = 0;
            for (Future<Integer> f : pool.invokeAll(publishers)) {
                published += f.get();
            }
            assertThat(published).isEqualTo(due);
        } finally {
            pool.shutdownNow();
            producers.forEach(KafkaProducer::close);
        }

        GatedProducer a = producers.get(0);
        GatedProducer b = producers.get(1);
        assertThat(a.metTheOther)
                .as("publisher A held a batch while B claimed one (B skipped A's locked rows)")
                .isTrue();
        assertThat(b.metTheOther)
                .as("publisher B held a batch while A claimed one (A skipped B's locked rows)")
                .isTrue();
        // each due run was claimed and sent by exactly one of them, both took a share
        assertThat(a.sentIds).isNotEmpty().doesNotContainAnyElementsOf(b.sentIds);
        assertThat(b.sentIds).isNotEmpty();
        assertThat(a.sends.get() + b.sends.get()).isEqualTo(due);
        Set<String> claimed = new HashSet<>(a.sentIds);
        claimed.addAll(b.sentIds);
        assertThat(claimed).hasSize(due);

        // the events topic read to its end offsets: every due run once, the later one not
        Map<String, Integer> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                ExecutorTestKit.readToEnd(SERVERS.kafkaBootstrap(), events)) {
            byId.merge(ceId(r), 1, Integer::sum);
        }
        assertThat(byId).hasSize(due);
        assertThat(byId.values()).allMatch(n -> n == 1);
        assertThat(byId.keySet()).isEqualTo(claimed);
        assertThat(byId).containsKey("fx-scheduled-run-7").doesNotContainKey("fx-scheduled-later");
        assertThat(count(ds, "SELECT count(*) FROM executor_scheduled_runs WHERE published"))
                .isEqualTo(due);
        assertThat(count(ds, "SELECT count(*) FROM executor_scheduled_runs WHERE NOT published"))
                .isEqualTo(1);
    }

    static String ceId(ProducerRecord<byte[], byte[]> r) {
        return new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
    }

    static String ceId(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
    }

    /**
     * The real Kafka producer of one publisher. Records the event ids it sends; its first send
     * (made inside the publisher's transaction, with its batch locked) waits until the other
     * publisher's first send is reached too.
     */
    static final class GatedProducer extends KafkaProducer<byte[], byte[]> {
        final Set<String> sentIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger sends = new AtomicInteger();
        private final CountDownLatch bothHoldABatch;
        volatile boolean metTheOther;

        GatedProducer(String bootstrap, CountDownLatch bothHoldABatch) {
            super(
                    Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
            this.bothHoldABatch = bothHoldABatch;
        }

        @Override
        public Future<RecordMetadata> send(
                ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (sends.getAndIncrement() == 0) {
                bothHoldABatch.countDown();
                try {
                    metTheOther = bothHoldABatch.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sentIds.add(ceId(record));
            return super.send(record, callback);
        }
    }

    static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
