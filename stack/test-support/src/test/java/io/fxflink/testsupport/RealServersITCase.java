package io.fxflink.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared servers answer through their real protocols, and each test gets names of its own. */
class RealServersITCase {

    @RegisterExtension static final RealServers SERVERS = RealServers.all();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void kafkaTopicsAreUniqueAndCarryRecords() throws Exception {
        String topic = SERVERS.newTopic("roundtrip", 2);
        assertThat(SERVERS.newTopic("roundtrip", 1)).isNotEqualTo(topic);

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS.kafkaBootstrap());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
        }
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS.kafkaBootstrap());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, RealServers.uniqueName("g"));
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                records = consumer.poll(Duration.ofMillis(500));
            }
            assertThat(records).extracting(r -> r.value()).containsExactly("hello");
        }
    }

    @Test
    void elasticsearchIndexesAndFindsADocument() throws Exception {
        String index = SERVERS.newIndexPrefix("logs") + "-2026.11.29";
        String url = SERVERS.elasticsearchUrl();
        HttpResponse<String> put =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(url + "/" + index + "/_doc/1?refresh=true"))
                                .header("Content-Type", "application/json")
                                .PUT(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"message\":\"started\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
        HttpResponse<String> search =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                url + "/" + index + "/_search?q=message:started"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(search.body()).contains("\"value\":1");
    }

    @Test
    void s3StoresAndReturnsAnObjectThroughTheMinioSdk() throws Exception {
        String bucket = SERVERS.newBucketName("packages");
        MinioClient minio =
                MinioClient.builder()
                        .endpoint(SERVERS.s3Endpoint())
                        .credentials(SERVERS.s3AccessKey(), SERVERS.s3SecretKey())
                        .build();
        try {
            minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            assertThat(minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))
                    .isTrue();
            byte[] body = "zip bytes".getBytes(StandardCharsets.UTF_8);
            minio.putObject(
                    PutObjectArgs.builder().bucket(bucket).object("a/b.zip").stream(
                                    new ByteArrayInputStream(body), body.length, -1)
                            .build());
            try (var in =
                    minio.getObject(
                            GetObjectArgs.builder().bucket(bucket).object("a/b.zip").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
        } finally {
            minio.close();
        }
    }

    @Test
    void eachTestGetsItsOwnPostgresDatabase() throws Exception {
        RealServers.PgDatabase a = SERVERS.newDatabase("fx");
        RealServers.PgDatabase b = SERVERS.newDatabase("fx");
        assertThat(a.name()).isNotEqualTo(b.name());
        try (Connection c = a.connect();
                Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key)");
            s.execute("insert into t values (1), (2)");
            try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
        try (Connection c = b.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "select count(*) from information_schema.tables where table_name = 't'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("databases are isolated").isZero();
        }
    }

    @Test
    void topicConfigsArePassedThrough() throws Exception {
        String topic = SERVERS.newTopic("links", 1, Map.of("cleanup.policy", "compact"));
        var configs =
                SERVERS.kafkaAdmin()
                        .describeConfigs(
                                List.of(
                                        new org.apache.kafka.common.config.ConfigResource(
                                                org.apache.kafka.common.config.ConfigResource.Type
                                                        .TOPIC,
                                                topic)))
                        .all()
                        .get();
        assertThat(configs.values().iterator().next().get("cleanup.policy").value())
                .isEqualTo("compact");
    }
}
