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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two publishers (as on two executors) drain one scheduled-runs table at the same time against the
 * real PostgreSQL and Kafka: every due run is published exactly once, runs not yet due stay.
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
        Properties p = new Properties();
        p.put("bootstrap.servers", SERVERS.kafkaBootstrap());
        p.put("acks", "all");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Callable<Integer>> publishers = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
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
        }

        Map<String, Integer> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(events, due)) {
            String id = new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
            byId.merge(id, 1, Integer::sum);
        }
        assertThat(byId).hasSize(due);
        assertThat(byId.values()).allMatch(n -> n == 1);
        assertThat(byId).containsKey("fx-scheduled-run-7").doesNotContainKey("fx-scheduled-later");
        assertThat(count(ds, "SELECT count(*) FROM executor_scheduled_runs WHERE published"))
                .isEqualTo(due);
        assertThat(count(ds, "SELECT count(*) FROM executor_scheduled_runs WHERE NOT published"))
                .isEqualTo(1);
    }

    static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        return ExecutorTestKit.readAll(SERVERS.kafkaBootstrap(), topic, atLeast);
    }
}
