package io.fxflink.router.it;

import static io.fxflink.router.RouterTestData.exact;
import static io.fxflink.router.RouterTestData.filtered;
import static io.fxflink.router.RouterTestData.prefix;
import static io.fxflink.router.RouterTestData.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.contracts.execution.ExecutionIds;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.router.RouterJob;
import io.fxflink.router.RouterTestData;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole router job on a MiniCluster (parallelism 2) against the real Kafka. */
class RouterJobITCase {
    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.KAFKA);

    private static RouterCluster cluster;
    private RouterKafka kafka;
    private JobClient job;

    /** How long a link change may take to apply here (the 1 s target belongs to the bench). */
    private static final Duration APPLY_BOUND = Duration.ofSeconds(30);

    private final AtomicInteger probes = new AtomicInteger();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new RouterCluster();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void startJob() throws Exception {
        kafka = new RouterKafka(SERVERS, 2);
        kafka.publish(service("probe-svc", 1, "1"));
        kafka.publish(exact("probe-link", 1, "it.probe", "probe-svc", "1"));
        StreamExecutionEnvironment env = cluster.environment(Duration.ofMillis(500));
        RouterJob.withKafka(kafka.options(RealServers.uniqueName("router"))).build(env);
        job = env.executeAsync("router-it");
    }

    @AfterEach
    void stopJob() throws Exception {
        job.cancel().get();
        kafka.close();
    }

    /** Publishes probe events until one is routed: then every link published before is applied. */
    private void awaitLinksApplied() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            kafka.publishEvent(
                                    RouterTestData.cloudEvent(
                                            "probe-" + probes.incrementAndGet(),
                                            "it.probe",
                                            new byte[0]));
                            return requestsFor("probe-link").size() > 0;
                        });
    }

    private List<ExecutionRequest> requestsFor(String linkId) {
        return kafka.requests.stream().filter(r -> linkId.equals(r.linkId())).toList();
    }

    @Test
    void routesBinaryAndStructuredEventsManualRunsAndDeadLettersTheRest() throws Exception {
        kafka.publish(service("billing", 1, "1.0", "0.9"));
        kafka.publish(exact("on-order", 1, "order.created", "billing", "1.0"));
        kafka.publish(prefix("on-any-order", 1, "order.", "billing", "0.9"));
        kafka.publish(filtered("eu-only", 1, "order.created", "region = 'eu'", "billing", "1.0"));
        kafka.publish(exact("to-ghost", 1, "ghost.event", "ghost", "1"));
        kafka.publishRaw(kafka.topics.links(), "link:bad".getBytes(), "{not json".getBytes());
        awaitLinksApplied();

        byte[] payload = new byte[] {1, 2, 3, (byte) 0xfe};
        kafka.publishEvent(
                CloudEventBuilder.v1(RouterTestData.cloudEvent("o1", "order.created", payload))
                        .withExtension("region", "eu")
                        .build());
        RecordHeaders structured = new RecordHeaders();
        structured.add("content-type", "application/cloudevents+json".getBytes());
        kafka.send(
                new ProducerRecord<>(
                        kafka.topics.events(),
                        null,
                        null,
                        "o2".getBytes(),
                        ("{\"specversion\":\"1.0\",\"id\":\"o2\",\"source\":\"urn:test\","
                                        + "\"type\":\"order.shipped\",\"data\":{\"x\":1}}")
                                .getBytes(StandardCharsets.UTF_8),
                        structured));
        kafka.publishEvent(
                CloudEventBuilder.v1()
                        .withId("m1")
                        .withSource(URI.create("urn:fx:manager"))
                        .withType(PlatformEventTypes.MANUAL)
                        .withExtension(FxExtensions.TARGET_SERVICE, "billing")
                        .withData("application/json", "{\"p\":1}".getBytes())
                        .build());
        kafka.publishRaw(kafka.topics.events(), "junk".getBytes(), "hello".getBytes());
        kafka.publishEvent(RouterTestData.cloudEvent("g1", "ghost.event", new byte[0]));
        kafka.publishEvent(
                CloudEventBuilder.v1(
                                RouterTestData.cloudEvent("loop", "order.created", new byte[0]))
                        .withExtension(FxExtensions.DEPTH, "1000")
                        .build());
        kafka.publishEvent(RouterTestData.cloudEvent("o1", "order.created", payload)); // retry
        // after the retry, in its order: same events partition, same routing task, and its
        // requests share the partition of the retry's (service billing); once the sentinel's
        // request is read, the retry has been routed (or dropped)
        String sentinel = sentinelFollowing("o1");
        kafka.publishEvent(RouterTestData.cloudEvent(sentinel, "order.sentinel", new byte[0]));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            assertThat(requestsFor("on-any-order"))
                                    .extracting(r -> r.triggerEvent().id())
                                    .contains(sentinel);
                            assertThat(kafka.deadLetters).hasSize(4);
                            assertThat(requestsFor("eu-only")).hasSize(1);
                        });
        kafka.awaitReadToEnd();

        // the retried o1 is a duplicate within the window: no second request for any link

        assertThat(requestsFor("on-order"))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.executionId())
                                    .isEqualTo(ExecutionIds.of("urn:test", "o1", "on-order"));
                            assertThat(r.triggerEvent().data()).isEqualTo(payload);
                            assertThat(r.serviceVersion()).isEqualTo("1.0");
                        });
        assertThat(requestsFor("on-any-order"))
                .extracting(r -> r.triggerEvent().id())
                .containsExactlyInAnyOrder("o1", "o2", sentinel);
        assertThat(requestsFor("eu-only"))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.executionId())
                                        .isEqualTo(ExecutionIds.of("urn:test", "o1", "eu-only")));
        List<ExecutionRequest> manual =
                kafka.requests.stream().filter(r -> r.linkId() == null).toList();
        assertThat(manual)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.service()).isEqualTo("billing");
                            assertThat(r.executionId())
                                    .isEqualTo(
                                            ExecutionIds.forService(
                                                    "urn:fx:manager", "m1", "billing"));
                        });
        List<String> reasons = kafka.deadLetters.stream().map(DeadLetterRecord::reason).toList();
        assertThat(reasons)
                .anySatisfy(r -> assertThat(r).contains("invalid links record"))
                .anySatisfy(r -> assertThat(r).contains("NOT_A_CLOUDEVENT"))
                .anySatisfy(r -> assertThat(r).contains("unknown service 'ghost'"))
                .anySatisfy(r -> assertThat(r).contains("causation depth 1000"));
        assertThat(kafka.deadLetters)
                .filteredOn(d -> d.reason().contains("NOT_A_CLOUDEVENT"))
                .singleElement()
                .satisfies(d -> assertThat(d.originalValue()).isEqualTo("hello".getBytes()));
    }

    /**
     * An event id that takes the path of {@code id} through the job: the same events partition
     * (Kafka's key hash, the key is the id) and the same key group of the routing (source + id), so
     * the routing task sees it after {@code id}'s earlier records.
     */
    private String sentinelFollowing(String id) {
        int partitions = kafka.producer.partitionsFor(kafka.topics.events()).size();
        int maxParallelism =
                KeyGroupRangeAssignment.computeDefaultMaxParallelism(RouterCluster.PARALLELISM);
        for (int i = 0; ; i++) {
            String candidate = "sentinel-" + i;
            if (eventsPartition(candidate, partitions) == eventsPartition(id, partitions)
                    && keyGroup(candidate, maxParallelism) == keyGroup(id, maxParallelism)) {
                return candidate;
            }
        }
    }

    private static int eventsPartition(String id, int partitions) {
        return Utils.toPositive(Utils.murmur2(id.getBytes())) % partitions;
    }

    private static int keyGroup(String id, int maxParallelism) {
        return KeyGroupRangeAssignment.assignToKeyGroup("urn:test" + '\n' + id, maxParallelism);
    }

    /**
     * A link change applies while events flow. The bound is generous (a shared 2-core machine); the
     * router's 1 s figure is for the benchmark to measure, not for this test.
     */
    @Test
    void linkChangesApplyWithinTheBoundWhileEventsFlow() throws Exception {
        kafka.publish(service("s", 1, "1", "2"));
        kafka.publish(exact("live", 1, "flow", "s", "1"));
        kafka.publish(exact("gone", 1, "flow", "s", "1"));
        awaitLinksApplied();

        AtomicBoolean stop = new AtomicBoolean();
        List<Long> sent = new CopyOnWriteArrayList<>();
        Thread producer =
                new Thread(
                        () -> {
                            for (int i = 0; !stop.get(); i++) {
                                long now = System.currentTimeMillis();
                                kafka.publishEvent(
                                        RouterTestData.cloudEvent(
                                                "f" + i, "flow", String.valueOf(now).getBytes()));
                                sent.add(now);
                                try {
                                    Thread.sleep(5); // pacing the producer, not synchronisation
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
        producer.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    requestsFor("live").size() >= 100
                                            && requestsFor("gone").size() >= 100);
            long changed = System.currentTimeMillis();
            kafka.publish(exact("live", 2, "flow", "s", "2")); // retarget to version 2
            kafka.publish(LinkTopicRecord.delete(LinkTopicKey.link("gone")));
            long bound = changed + APPLY_BOUND.toMillis();

            // events keep flowing until some produced past the bound are routed
            await().atMost(APPLY_BOUND.plus(Duration.ofSeconds(60)))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    requestsFor("live").stream()
                                                    .filter(r -> sentAt(r) >= bound)
                                                    .count()
                                            >= 20);
            stop.set(true);
            producer.join(30_000);
            long produced = sent.stream().filter(t -> t >= bound).count();
            // every event produced past the bound is routed by "live" (nothing lost) ...
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    requestsFor("live").stream()
                                                    .filter(r -> sentAt(r) >= bound)
                                                    .count()
                                            >= produced);
            kafka.awaitReadToEnd();

            List<ExecutionRequest> live = requestsFor("live");
            assertThat(live).filteredOn(r -> sentAt(r) >= bound).hasSize((int) produced);
            // ... with the new version, and none by the deleted "gone"
            assertThat(live)
                    .filteredOn(r -> sentAt(r) >= bound)
                    .allSatisfy(r -> assertThat(r.serviceVersion()).isEqualTo("2"));
            assertThat(requestsFor("gone")).filteredOn(r -> sentAt(r) >= bound).isEmpty();
            // (events produced before the bound may be routed either way: the change races them)
            assertThat(live).extracting(ExecutionRequest::serviceVersion).contains("1", "2");
            assertThat(live).extracting(ExecutionRequest::executionId).doesNotHaveDuplicates();
            assertThat(kafka.deadLetters).isEmpty();
        } finally {
            stop.set(true);
            producer.join(30_000);
        }
    }

    private static long sentAt(ExecutionRequest r) {
        return Long.parseLong(new String(r.triggerEvent().data(), StandardCharsets.UTF_8));
    }

    @Test
    void cronScheduleEmitsOneRequestPerSlotAndInvalidCronIsADeadLetter() throws Exception {
        // the job is running and routing first: the 30 s below are for the slots, not the start
        awaitLinksApplied();
        kafka.publish(service("ticker", 1, false, "*/2 * * * * *", "1"));
        kafka.publish(service("broken", 1, false, "every now and then", "1"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            assertThat(scheduled("ticker")).hasSizeGreaterThanOrEqualTo(3);
                            assertThat(kafka.deadLetters)
                                    .anySatisfy(
                                            d ->
                                                    assertThat(d.reason())
                                                            .contains("service 'broken' schedule"));
                        });
        List<ExecutionRequest> ticks = scheduled("ticker");
        assertThat(ticks).extracting(ExecutionRequest::executionId).doesNotHaveDuplicates();
        assertThat(ticks)
                .allSatisfy(
                        r -> {
                            assertThat(r.triggerEvent().type())
                                    .isEqualTo(PlatformEventTypes.SCHEDULED);
                            assertThat(r.triggerEvent().time().getSecond() % 2).isZero();
                        });
        assertThat(scheduled("broken")).isEmpty();
    }

    private List<ExecutionRequest> scheduled(String service) {
        return kafka.requests.stream()
                .filter(r -> r.service().equals(service) && r.linkId() == null)
                .toList();
    }
}
