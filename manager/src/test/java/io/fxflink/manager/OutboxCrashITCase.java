package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.manager.link.LinkPublisher;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The manager dies between the database commit and the Kafka publish: the link change is committed
 * in PostgreSQL but not on the topic. A restarted manager delivers it.
 */
class OutboxCrashITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    /** Dies on every publish, like a process killed after the commit and before the send. */
    static final class CrashingPublisher implements LinkPublisher {
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public void publish(List<Message> messages) {
            attempts.incrementAndGet();
            throw new IllegalStateException("simulated crash before the Kafka publish");
        }
    }

    @Test
    void aLinkCommittedBeforeACrashIsDeliveredAfterRestart() throws Exception {
        ManagerFixture fx = new ManagerFixture(SERVERS);
        ManagerConfig config = fx.config();
        CrashingPublisher crashing = new CrashingPublisher();
        String admin;
        try (ManagerApp first =
                new ManagerApp(config, ManagerDeps.create(config).withLinkPublisher(crashing))
                        .start()) {
            TestApi api = new TestApi(first.port());
            admin = first.bootstrapToken().orElseThrow().token();
            assertThat(api.upload(admin, Packages.python("survivor", "1", null), Map.of()).status())
                    .isEqualTo(201);
            TestApi.Res link =
                    api.post(
                            admin,
                            "/api/v1/links",
                            Map.of("id", "keep-me", "eventType", "a.b", "service", "survivor"));
            assertThat(link.status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> crashing.attempts.get() >= 1);
            assertThat(unsent(fx)).isGreaterThanOrEqualTo(2);
            assertThat(fx.readLinks(Duration.ofSeconds(5))).isEmpty();
            TestApi.Res health = api.get(null, "/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("components").get("linksOutbox").get("status").asText())
                    .isEqualTo("DOWN");
        }

        try (ManagerApp restarted = fx.start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> unsent(fx) == 0);
            List<LinkTopicRecord> onTopic = fx.readLinks(Duration.ofSeconds(10));
            assertThat(onTopic)
                    .anySatisfy(
                            r -> {
                                assertThat(r.key()).isEqualTo(LinkTopicKey.link("keep-me"));
                                assertThat(
                                                ((Link) ((LinkTopicRecord.Upsert) r).value())
                                                        .eventType())
                                        .isEqualTo("a.b");
                            });
            assertThat(onTopic)
                    .anySatisfy(
                            r -> assertThat(r.key()).isEqualTo(LinkTopicKey.service("survivor")));
            assertThat(new TestApi(restarted.port()).get(admin, "/api/v1/links/keep-me").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aPublishFailureIsRetriedUntilKafkaAcknowledges() throws Exception {
        ManagerFixture fx = new ManagerFixture(SERVERS);
        ManagerConfig config = fx.config();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        LinkPublisher real =
                new io.fxflink.manager.link.KafkaLinkPublisher(
                        fx.servers.kafkaBootstrap(), fx.linksTopic);
        LinkPublisher flaky =
                new LinkPublisher() {
                    @Override
                    public void publish(List<Message> messages) throws Exception {
                        if (failuresLeft.getAndDecrement() > 0) {
                            throw new IllegalStateException("broker unavailable (simulated)");
                        }
                        real.publish(messages);
                    }

                    @Override
                    public void close() {
                        real.close();
                    }
                };
        try (ManagerApp app =
                new ManagerApp(config, ManagerDeps.create(config).withLinkPublisher(flaky))
                        .start()) {
            TestApi api = new TestApi(app.port());
            String admin = app.bootstrapToken().orElseThrow().token();
            api.upload(
                    admin, Packages.python("retry", "1", "\"trigger_events\":[\"r.e\"]"), Map.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> unsent(fx) == 0);
            List<LinkTopicRecord> onTopic = fx.readLinks(Duration.ofSeconds(10));
            // service config + default link, each exactly once (one batch, retried as a whole)
            assertThat(onTopic)
                    .extracting(LinkTopicRecord::key)
                    .containsExactly(
                            LinkTopicKey.service("retry"), LinkTopicKey.link("retry.trigger.r.e"));
        }
    }

    static long unsent(ManagerFixture fx) throws Exception {
        try (Connection c = fx.db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM links_outbox WHERE sent_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
