package io.fxflink.testsupport;

import static org.awaitility.Awaitility.await;

import io.fxflink.stack.Endpoints;
import io.fxflink.stack.ServerKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class real servers, shared by the whole build (see {@link
 * SharedStack}), plus unique names so tests can run in any order:
 *
 * <pre>{@code
 * @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.KAFKA);
 * String topic = SERVERS.newTopic("events", 2);
 * }</pre>
 *
 * What a test creates through it (topics, indices, databases) is removed after the class.
 */
public final class RealServers implements BeforeAllCallback, AfterAllCallback {
    private final EnumSet<ServerKind> kinds;
    private volatile Endpoints endpoints;
    private final List<String> topics = new ArrayList<>();
    private final List<String> indexPatterns = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    private Admin admin;

    private RealServers(EnumSet<ServerKind> kinds) {
        this.kinds = kinds;
    }

    public static RealServers of(ServerKind first, ServerKind... rest) {
        return new RealServers(EnumSet.of(first, rest));
    }

    public static RealServers all() {
        return new RealServers(EnumSet.allOf(ServerKind.class));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoints();
    }

    /** The servers' endpoints, starting them when needed (also usable outside JUnit callbacks). */
    public Endpoints endpoints() {
        if (endpoints == null) {
            synchronized (this) {
                if (endpoints == null) {
                    endpoints = SharedStack.ensure(kinds);
                }
            }
        }
        return endpoints;
    }

    /** A name nobody else uses: {@code prefix-<8 hex chars>}, lower case. */
    public static String uniqueName(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
    }

    // ---- Kafka
    // -----------------------------------------------------------------------------------

    public String kafkaBootstrap() {
        return require(ServerKind.KAFKA).kafkaBootstrap();
    }

    public synchronized Admin kafkaAdmin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
            admin = Admin.create(p);
        }
        return admin;
    }

    /** Creates a topic with a unique name; it is deleted after the test class. */
    public String newTopic(String prefix, int partitions) {
        return newTopic(prefix, partitions, Map.of());
    }

    public String newTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = uniqueName(prefix);
        try {
            kafkaAdmin()
                    .createTopics(
                            List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        // a producer that writes before every partition has a leader can be told "not leader",
        // and an idempotent one then retries out-of-order sequences forever: wait for leaders
        await("leaders of every partition of " + name)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> everyPartitionLed(name));
        synchronized (topics) {
            topics.add(name);
        }
        return name;
    }

    private boolean everyPartitionLed(String topic) throws Exception {
        TopicDescription d =
                kafkaAdmin()
                        .describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .get(topic);
        return d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    // ---- Elasticsearch
    // ---------------------------------------------------------------------------

    public String elasticsearchUrl() {
        return require(ServerKind.ELASTICSEARCH).elasticsearchUrl();
    }

    /** A unique index name prefix; indices starting with it are deleted after the test class. */
    public String newIndexPrefix(String prefix) {
        String name = uniqueName(prefix);
        synchronized (indexPatterns) {
            indexPatterns.add(name + "*");
        }
        return name;
    }

    // ---- S3
    // --------------------------------------------------------------------------------------

    public String s3Endpoint() {
        return require(ServerKind.S3).s3Endpoint();
    }

    public String s3AccessKey() {
        return require(ServerKind.S3).s3AccessKey();
    }

    public String s3SecretKey() {
        return require(ServerKind.S3).s3SecretKey();
    }

    /** A unique, valid bucket name (the test creates the bucket with its own client). */
    public String newBucketName(String prefix) {
        return uniqueName(prefix);
    }

    // ---- PostgreSQL
    // ------------------------------------------------------------------------------

    /** The server's admin connection (database {@code postgres}). */
    public PgDatabase postgres() {
        Endpoints e = require(ServerKind.POSTGRES);
        return new PgDatabase(e.postgresUrl(), e.postgresUser(), e.postgresPassword());
    }

    /** Creates a database with a unique name; it is dropped after the test class. */
    public PgDatabase newDatabase(String prefix) {
        String name = uniqueName(prefix).replace('-', '_');
        PgDatabase admin = postgres();
        try (Connection c = admin.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        synchronized (databases) {
            databases.add(name);
        }
        return admin.withDatabase(name);
    }

    /** Connection details of one PostgreSQL database. */
    public record PgDatabase(String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        public String name() {
            String path = URI.create(url.substring("jdbc:".length())).getPath();
            return path.substring(1);
        }

        PgDatabase withDatabase(String db) {
            int slash = url.lastIndexOf('/');
            int query = url.indexOf('?', slash);
            String rest = query < 0 ? "" : url.substring(query);
            return new PgDatabase(url.substring(0, slash + 1) + db + rest, user, password);
        }
    }

    private Endpoints require(ServerKind kind) {
        if (!kinds.contains(kind)) {
            throw new IllegalStateException(
                    "this RealServers was declared without "
                            + kind.id()
                            + "; add it to RealServers.of(...)");
        }
        return endpoints();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<Exception> failures = new ArrayList<>();
        synchronized (topics) {
            if (!topics.isEmpty()) {
                try {
                    kafkaAdmin().deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failures.add(e);
                }
                topics.clear();
            }
        }
        if (admin != null) {
            admin.close();
            admin = null;
        }
        synchronized (indexPatterns) {
            HttpClient http = HttpClient.newHttpClient();
            for (String pattern : indexPatterns) {
                HttpRequest req =
                        HttpRequest.newBuilder(
                                        URI.create(
                                                elasticsearchUrl()
                                                        + "/"
                                                        + pattern
                                                        + "?ignore_unavailable=true"))
                                .DELETE()
                                .build();
                http.send(req, HttpResponse.BodyHandlers.discarding());
            }
            indexPatterns.clear();
        }
        synchronized (databases) {
            for (String db : databases) {
                try (Connection c = postgres().connect();
                        Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                } catch (SQLException e) {
                    failures.add(e);
                }
            }
            databases.clear();
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("cleaning up test servers failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
