package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicCodec;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServicesAndLinksITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    static ManagerFixture fx;
    static ManagerApp app;
    static TestApi api;
    static String admin;

    @BeforeAll
    static void start() {
        fx = new ManagerFixture(SERVERS);
        app = fx.start();
        api = new TestApi(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void uploadStoresThePackageRegistersTheVersionAndPublishesDefaultLinks() throws Exception {
        byte[] zip =
                Packages.python(
                        "orders",
                        "1.0.0",
                        "\"trigger_events\":[\"shop.order.created\",\"shop.refund.*\"]");
        TestApi.Res r = api.upload(admin, zip, Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode body = r.json();
        String sha = body.get("sha256").asText();
        assertThat(body.get("service").get("defaultVersion").asText()).isEqualTo("1.0.0");
        assertThat(body.get("defaultLinks")).hasSize(2);

        try (MinioClient s3 =
                MinioClient.builder()
                        .endpoint(SERVERS.s3Endpoint())
                        .credentials(SERVERS.s3AccessKey(), SERVERS.s3SecretKey())
                        .build()) {
            assertThat(
                            s3.statObject(
                                            StatObjectArgs.builder()
                                                    .bucket(fx.bucket)
                                                    .object("packages/" + sha + ".zip")
                                                    .build())
                                    .size())
                    .isEqualTo(zip.length);
        }

        TestApi.Res versions = api.get(admin, "/api/v1/services/orders/versions");
        assertThat(versions.json()).hasSize(1);
        assertThat(versions.json().get(0).get("sha256").asText()).isEqualTo(sha);

        Map<LinkTopicKey, LinkTopicRecord> latest = latestOnTopic(3);
        ServiceConfig cfg =
                (ServiceConfig)
                        ((LinkTopicRecord.Upsert) latest.get(LinkTopicKey.service("orders")))
                                .value();
        assertThat(cfg.defaultVersion()).isEqualTo("1.0.0");
        assertThat(cfg.versions().get("1.0.0").sha256()).isEqualTo(sha);
        assertThat(cfg.versions().get("1.0.0").packageKey()).isEqualTo("packages/" + sha + ".zip");
        Link exact =
                (Link)
                        ((LinkTopicRecord.Upsert)
                                        latest.get(
                                                LinkTopicKey.link(
                                                        "orders.trigger.shop.order.created")))
                                .value();
        assertThat(exact.eventType()).isEqualTo("shop.order.created");
        assertThat(exact.serviceVersion()).isEqualTo("1.0.0");
        Link prefix =
                (Link)
                        ((LinkTopicRecord.Upsert)
                                        latest.get(
                                                LinkTopicKey.link("orders.trigger.shop.refund._")))
                                .value();
        assertThat(prefix.match().name()).isEqualTo("PREFIX");
        assertThat(prefix.eventType()).isEqualTo("shop.refund.");
    }

    @Test
    void uploadingTheSamePackageAgainIsIdempotentButAChangedPackageUnderTheSameVersionConflicts() {
        byte[] zip = Packages.python("idem", "1.0.0", null);
        assertThat(api.upload(admin, zip, Map.of()).status()).isEqualTo(201);
        TestApi.Res again = api.upload(admin, zip, Map.of());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();

        TestApi.Res changed =
                api.upload(admin, Packages.python("idem", "1.0.0", "\"retries\":3"), Map.of());
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.json().get("message").asText()).contains("versions are immutable");
    }

    @Test
    void aNewVersionMovesTheDefaultLinksAndDropsTriggersNoLongerListed() {
        assertThat(
                        api.upload(
                                        admin,
                                        Packages.python(
                                                "mover",
                                                "1",
                                                "\"trigger_events\":[\"a.x\",\"a.y\"]"),
                                        Map.of())
                                .status())
                .isEqualTo(201);
        TestApi.Res v2 =
                api.upload(
                        admin,
                        Packages.python("mover", "2", "\"trigger_events\":[\"a.x\"]"),
                        Map.of());
        assertThat(v2.status()).isEqualTo(201);
        JsonNode links = api.get(admin, "/api/v1/links?service=mover").json();
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("id").asText()).isEqualTo("mover.trigger.a.x");
        assertThat(links.get(0).get("serviceVersion").asText()).isEqualTo("2");
        Map<LinkTopicKey, LinkTopicRecord> latest =
                await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> latestOnTopic(1),
                                m ->
                                        m.get(LinkTopicKey.link("mover.trigger.a.y"))
                                                instanceof LinkTopicRecord.Delete);
        assertThat(latest.get(LinkTopicKey.link("mover.trigger.a.x")))
                .isInstanceOf(LinkTopicRecord.Upsert.class);
    }

    @Test
    void linkLifecycleReachesTheLinksTopicInOrder() throws Exception {
        api.upload(admin, Packages.python("billing", "1.0", null), Map.of());
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("id", "bill-on-order");
        req.put("eventType", "shop.order.");
        req.put("match", "prefix");
        req.put("filter", "subject = 'eu'");
        req.put("service", "billing");
        TestApi.Res created = api.post(admin, "/api/v1/links", req);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("serviceVersion").asText()).isEqualTo("1.0");
        long v1 = created.json().get("version").asLong();
        LinkTopicKey key = LinkTopicKey.link("bill-on-order");
        await().atMost(Duration.ofSeconds(20)).until(() -> recordsFor(key), l -> !l.isEmpty());

        // the next changes are made while the relay cannot take its lock (as when another manager
        // instance holds it), so they reach the topic in one batch: their order must still hold
        long v2;
        long v3;
        try (Connection lock = fx.db.connect()) {
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT pg_advisory_lock(7100002)");
            }
            TestApi.Res disabled = api.post(admin, "/api/v1/links/bill-on-order/disable", Map.of());
            assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
            v2 = disabled.json().get("version").asLong();
            assertThat(v2).isGreaterThan(v1);
            assertThat(
                            api.get(admin, "/api/v1/links/bill-on-order")
                                    .json()
                                    .get("enabled")
                                    .asBoolean())
                    .isFalse();
            TestApi.Res enabled = api.post(admin, "/api/v1/links/bill-on-order/enable", Map.of());
            assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
            v3 = enabled.json().get("version").asLong();
            assertThat(v3).isGreaterThan(v2);
            assertThat(api.delete(admin, "/api/v1/links/bill-on-order").status()).isEqualTo(204);
            assertThat(api.get(admin, "/api/v1/links/bill-on-order").status()).isEqualTo(404);
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(7100002)");
            }
        }

        // every record of the topic up to its end offsets, then those of this key in offset order
        List<LinkTopicRecord> records =
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> recordsFor(key), l -> l.size() >= 4);
        assertThat(records)
                .extracting(ServicesAndLinksITCase::change)
                .as("records of %s on the links topic, in offset order", key)
                .containsExactly(
                        "upsert version " + v1 + " enabled",
                        "upsert version " + v2 + " disabled",
                        "upsert version " + v3 + " enabled",
                        "delete");
        assertThat(records.subList(0, 3))
                .extracting(r -> ((Link) ((LinkTopicRecord.Upsert) r).value()).filter())
                .containsOnly("subject = 'eu'");
    }

    private static String change(LinkTopicRecord r) {
        if (r instanceof LinkTopicRecord.Upsert u && u.value() instanceof Link l) {
            return "upsert version " + l.version() + (l.enabled() ? " enabled" : " disabled");
        }
        return r instanceof LinkTopicRecord.Delete ? "delete" : r.toString();
    }

    /**
     * The records of {@code key}, in offset order, among every record of the links topic: each
     * partition read from its beginning to its end offset taken now (failing if it is not reached).
     */
    static List<LinkTopicRecord> recordsFor(LinkTopicKey key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS.kafkaBootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps =
                    c.partitionsFor(fx.linksTopic).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            assertThat(tps).as("partitions of the links topic").hasSize(1);
            c.assign(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            c.seekToBeginning(tps);
            List<LinkTopicRecord> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime())
                        .as("reading the links topic to its end offsets %s", end)
                        .isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    LinkTopicRecord decoded = LinkTopicCodec.decode(r.key(), r.value());
                    if (decoded.key().equals(key)) {
                        out.add(decoded);
                    }
                }
            }
            return out;
        }
    }

    @Test
    void linksAreValidatedAtTheEdge() {
        api.upload(admin, Packages.python("target", "1", null), Map.of());
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("eventType", "a.b");
        bad.put("service", "target");
        bad.put("filter", "subject = = 'x'");
        TestApi.Res r = api.post(admin, "/api/v1/links", bad);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("filter").contains("CloudEvents SQL");

        bad.remove("filter");
        bad.put("serviceVersion", "9.9");
        assertThat(api.post(admin, "/api/v1/links", bad).json().get("message").asText())
                .contains("no version '9.9'");

        bad.remove("serviceVersion");
        bad.put("match", "regex");
        assertThat(api.post(admin, "/api/v1/links", bad).json().get("message").asText())
                .contains("EXACT or PREFIX");

        bad.put("match", "exact");
        bad.put("service", "nope");
        assertThat(api.post(admin, "/api/v1/links", bad).status()).isEqualTo(404);

        TestApi.Res unknownField =
                api.post(admin, "/api/v1/links", "{\"eventType\":\"a\",\"servce\":\"x\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("message").asText()).contains("servce");

        TestApi.Res malformed = api.post(admin, "/api/v1/links", "{\"eventType\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("code").asText()).isEqualTo("bad_request");

        Map<String, Object> both = new LinkedHashMap<>();
        both.put("eventType", "a.b");
        both.put("service", "target");
        both.put("serviceVersion", "1");
        both.put("weightedVersions", List.of(Map.of("version", "1", "weight", 1)));
        assertThat(api.post(admin, "/api/v1/links", both).json().get("message").asText())
                .contains("not both");
    }

    @Test
    void deletingAServiceIsRefusedWhileLinksPointToItUnlessForced() {
        api.upload(admin, Packages.python("doomed", "1", "\"trigger_events\":[\"x.y\"]"), Map.of());
        TestApi.Res refused = api.delete(admin, "/api/v1/services/doomed");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("message").asText()).contains("doomed.trigger.x.y");
        assertThat(api.delete(admin, "/api/v1/services/doomed?force=true").status()).isEqualTo(204);
        assertThat(api.get(admin, "/api/v1/services/doomed").status()).isEqualTo(404);
        assertThat(api.get(admin, "/api/v1/links/doomed.trigger.x.y").status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> latestOnTopic(1),
                        m ->
                                m.get(LinkTopicKey.service("doomed"))
                                                instanceof LinkTopicRecord.Delete
                                        && m.get(LinkTopicKey.link("doomed.trigger.x.y"))
                                                instanceof LinkTopicRecord.Delete);
    }

    @Test
    void deactivateAndActivatePublishTheServiceConfig() {
        api.upload(admin, Packages.python("toggle", "1", null), Map.of());
        assertThat(
                        api.post(admin, "/api/v1/services/toggle/deactivate", Map.of())
                                .json()
                                .get("active")
                                .asBoolean())
                .isFalse();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> latestOnTopic(1),
                        m ->
                                m.get(LinkTopicKey.service("toggle"))
                                                instanceof LinkTopicRecord.Upsert u
                                        && !((ServiceConfig) u.value()).active());
        assertThat(
                        api.post(admin, "/api/v1/services/toggle/activate", Map.of())
                                .json()
                                .get("active")
                                .asBoolean())
                .isTrue();
    }

    /** The latest record per key on the links topic (what a compacted reader ends up with). */
    static Map<LinkTopicKey, LinkTopicRecord> latestOnTopic(int atLeast) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            Map<LinkTopicKey, LinkTopicRecord> latest = new LinkedHashMap<>();
                            for (LinkTopicRecord r : fx.readLinks(Duration.ofSeconds(10))) {
                                latest.put(r.key(), r);
                            }
                            return latest;
                        },
                        m -> m.size() >= atLeast);
    }
}
