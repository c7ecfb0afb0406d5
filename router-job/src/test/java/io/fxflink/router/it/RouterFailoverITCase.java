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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the TaskManager while events flow; the job restarts from its latest checkpoint on a new
 * TaskManager. Every event must have produced its requests, and after de-duplication by execution
 * id each request is there once (at-least-once), or there are no duplicates at all (exactly-once,
 * read_committed).
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

        // crash mid-stream
        await().atMost(Duration.ofSeconds(60)).until(() -> routed().size() >= 400);
        int beforeCrash = sent.get();
        cluster.replaceTaskManager();
        LOG.info("Killed the TaskManager after {} events were produced", beforeCrash);
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
        }
        assertThat(kafka.deadLetters).isEmpty();
    }
}
