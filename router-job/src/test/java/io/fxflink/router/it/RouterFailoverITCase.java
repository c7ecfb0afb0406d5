package io.fxflink.router.it;

import static io.fxflink.router.RouterTestData.exact;
import static io.fxflink.router.RouterTestData.prefix;
import static io.fxflink.router.RouterTestData.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.execution.ExecutionIds;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.router.RouterJob;
import io.fxflink.router.RouterOptions;
import io.fxflink.router.RouterTestData;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the TaskManager while events flow; the job restarts on a new TaskManager, restored (per its
 * checkpoint statistics) from the latest checkpoint completed before the kill. Every event must
 * have produced its requests; with exactly-once (read_committed) there are no duplicates at all,
 * with at-least-once only the requests of events replayed from that checkpoint can be there twice.
 */
class RouterFailoverITCase {
    private static final Logger LOG = LoggerFactory.getLogger(RouterFailoverITCase.class);
    private static final int EVENTS = 3000;

    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.KAFKA);

    private RouterCluster cluster;
    private RouterKafka kafka;
    private JobClient job;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new RouterCluster();
        kafka = new RouterKafka(SERVERS, 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        kafka.close();
        cluster.close();
    }

    private List<ExecutionRequest> routed() {
        return kafka.requests.stream()
                .filter(r -> "exact".equals(r.linkId()) || "prefix".equals(r.linkId()))
                .toList();
    }

    private long latestCompletedCheckpoint() throws Exception {
        CompletedCheckpointStats latest =
                cluster.executionGraph(job.getJobID())
                        .getCheckpointStatsSnapshot()
                        .getHistory()
                        .getLatestCompletedCheckpoint();
        return latest == null ? 0 : latest.getCheckpointId();
    }

    /** The offsets the events source committed (on a completed checkpoint), per partition. */
    private Map<TopicPartition, Long> committedEventOffsets(RouterOptions options)
            throws Exception {
        // the source's group is <group id>.events (RouterConnectors.EVENTS)
        Map<TopicPartition, OffsetAndMetadata> committed =
                SERVERS.kafkaAdmin()
                        .listConsumerGroupOffsets(options.groupId() + ".events")
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        committed.forEach(
                (tp, o) -> {
                    if (o != null) {
                        out.put(tp, o.offset());
                    }
                });
        return out;
    }

    private Map<TopicPartition, Long> eventEndOffsets() throws Exception {
        String topic = kafka.topics.events();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        SERVERS.kafkaAdmin()
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .forEach(
                        i ->
                                latest.put(
                                        new TopicPartition(topic, i.partition()),
                                        OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        SERVERS.kafkaAdmin()
                .listOffsets(latest)
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(
            value = DeliveryGuarantee.class,
            names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void everyEventIsRoutedOnceAfterATaskManagerCrash(DeliveryGuarantee delivery) throws Exception {
        kafka.publish(service("s", 1, "1"));
        kafka.publish(exact("exact", 1, "ft.event", "s", "1"));
        kafka.publish(prefix("prefix", 1, "ft.", "s", "1"));
        RouterOptions options =
                kafka.options(RealServers.uniqueName("router"))
                        .withDelivery(delivery, RealServers.uniqueName("tx"));
        StreamExecutionEnvironment env = cluster.environment(Duration.ofMillis(300));
        RouterJob.withKafka(options).build(env);
        job = env.executeAsync("router-failover");

        AtomicInteger sent = new AtomicInteger();
        Thread producer =
                new Thread(
                        () -> {
                            for (int i = 0; i < EVENTS; i++) {
                                kafka.publishEvent(
                                        RouterTestData.cloudEvent(
                                                "ev-" + i, "ft.event", new byte[64]));
                                sent.incrementAndGet();
                            }
                        },
                        "failover-producer");
        producer.start();

        // crash mid-stream, once a checkpoint covers part of the stream
        await("400 requests routed and a checkpoint completed")
                .atMost(Duration.ofSeconds(60))
                .until(() -> routed().size() >= 400 && latestCompletedCheckpoint() > 0);
        long completedBeforeKill = latestCompletedCheckpoint();
        // offsets of a checkpoint completed before the kill: the restored one is at least as new,
        // so replay starts at or after them
        Map<TopicPartition, Long> committedBeforeKill = committedEventOffsets(options);
        int beforeCrash = sent.get();
        cluster.killTaskManager();
        // the killed tasks have stopped: every event they routed lies below these offsets
        Map<TopicPartition, Long> endAtKill = eventEndOffsets();
        cluster.startTaskManager();
        LOG.info(
                "Killed the TaskManager after {} events were produced; checkpoint {} completed,"
                        + " committed {}, end {}",
                beforeCrash,
                completedBeforeKill,
                committedBeforeKill,
                endAtKill);

        // the job runs again, restored from the latest checkpoint completed before the kill
        // (not from a savepoint, not from nothing)
        RestoredCheckpointStats[] restored = new RestoredCheckpointStats[1];
        await("the job RUNNING again, restored from a checkpoint")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            AccessExecutionGraph graph = cluster.executionGraph(job.getJobID());
                            assertThat(graph.getState()).isEqualTo(JobStatus.RUNNING);
                            restored[0] =
                                    graph.getCheckpointStatsSnapshot()
                                            .getLatestRestoredCheckpoint();
                            assertThat(restored[0]).as("latest restored checkpoint").isNotNull();
                        });
        assertThat(restored[0].getCheckpointId()).isGreaterThanOrEqualTo(completedBeforeKill);
        assertThat(restored[0].getProperties().isSavepoint()).isFalse();

        producer.join(120_000);
        assertThat(sent.get()).isEqualTo(EVENTS);
        assertThat(beforeCrash).isLessThan(EVENTS);

        // links were published before the job started: the router holds events until they are
        // loaded, so every event is routed by both links
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            expected.add(ExecutionIds.of("urn:test", "ev-" + i, "exact"));
            expected.add(ExecutionIds.of("urn:test", "ev-" + i, "prefix"));
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () ->
                                assertThat(
                                                routed().stream()
                                                        .map(ExecutionRequest::executionId)
                                                        .filter(expected::contains)
                                                        .distinct()
                                                        .count())
                                        .isEqualTo(expected.size()));

        List<ExecutionRequest> all = routed();
        Set<String> distinct = new HashSet<>();
        all.forEach(r -> distinct.add(r.executionId()));
        int duplicates = all.size() - distinct.size();
        LOG.info(
                "{}: {} requests for {} expected ids after a crash at event {} ({} duplicates)",
                delivery,
                all.size(),
                expected.size(),
                beforeCrash,
                duplicates);
        assertThat(distinct).containsAll(expected);
        if (delivery == DeliveryGuarantee.EXACTLY_ONCE) {
            assertThat(duplicates).isZero();
        } else {
            // only events replayed from the restored checkpoint can be routed twice: those at or
            // after its offsets (>= the committed ones) that the killed tasks had read (< the end
            // offsets at the kill), each routed by both links
            long replayable = 0;
            for (Map.Entry<TopicPartition, Long> e : endAtKill.entrySet()) {
                replayable += e.getValue() - committedBeforeKill.getOrDefault(e.getKey(), 0L);
            }
            assertThat((long) duplicates)
                    .as(
                            "duplicates; at most 2 requests for each of %d replayable events",
                            replayable)
                    .isLessThanOrEqualTo(2 * replayable);
        }
        assertThat(kafka.deadLetters).isEmpty();
    }
}
