package io.fxflink.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.stack.internal.Probes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * Starts a whole private stack (on ports of its own, beside the build's shared one), uses each
 * server through its real protocol, stops it, and checks that no process and no port is left.
 */
class LocalStackITCase {

    // not a @TempDir: those are private (0700) and Elasticsearch runs as a system user when we are
    // root
    private final Path home =
            ProjectRoot.find().resolve(".stack/it/" + java.util.UUID.randomUUID());

    @org.junit.jupiter.api.AfterEach
    void wipeHome() throws java.io.IOException {
        LocalStackMain.wipe(home);
    }

    private StackSettings privateSettings() {
        Map<String, String> env = new HashMap<>();
        env.put("FX_HOME", home.toString());
        env.put("FX_STACK_CONTROL_PORT", "29990");
        env.put("FX_KAFKA_PORT", "29092");
        env.put("FX_ES_PORT", "29200");
        env.put("FX_S3_PORT", "29000");
        env.put("FX_PG_PORT", "25432");
        env.put("FX_ES_HEAP", "-Xms256m -Xmx256m");
        return StackSettings.from(env::get);
    }

    @Test
    void startsEveryServerAndLeavesNoProcessBehind() throws Exception {
        StackSettings settings = privateSettings();
        List<String> progress = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        try (LocalStack stack = new LocalStack(settings, progress::add)) {
            Endpoints e = stack.ensure(EnumSet.allOf(ServerKind.class));

            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrap());
            try (Admin admin = Admin.create(p)) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            assertThat(Probes.httpStatus(e.elasticsearchUrl() + "/_cluster/health")).isEqualTo(200);
            // unauthenticated requests are refused: S3Proxy checks signatures
            assertThat(Probes.httpStatus(e.s3Endpoint() + "/")).isEqualTo(403);
            try (Connection c =
                            DriverManager.getConnection(
                                    e.postgresUrl(), e.postgresUser(), e.postgresPassword());
                    ResultSet rs =
                            c.createStatement()
                                    .executeQuery("select current_setting('server_version_num')")) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(170000);
            }

            for (LocalStack.ServerReport r : stack.reports()) {
                assertThat(r.origin()).isEqualTo("started");
                assertThat(r.startupMillis()).isPositive();
                assertThat(r.residentBytes()).isPositive();
                pids.add(r.pid());
                ProcessHandle.of(r.pid())
                        .ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
            }
            assertThat(progress).anyMatch(l -> l.startsWith("elasticsearch started in"));
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(pids)
                                        .noneMatch(
                                                pid ->
                                                        ProcessHandle.of(pid)
                                                                .map(ProcessHandle::isAlive)
                                                                .orElse(false)));
        for (int port : List.of(29092, 29093, 29200, 29000, 25432)) {
            assertThat(Probes.tcp("127.0.0.1", port)).as("port %d is free", port).isFalse();
        }
    }

    @Test
    void aServerAlreadyAnsweringIsAdoptedAndNotStopped() throws Exception {
        StackSettings settings = privateSettings();
        try (LocalStack first = new LocalStack(settings, l -> {})) {
            first.ensure(EnumSet.of(ServerKind.S3));
            List<String> progress = new ArrayList<>();
            try (LocalStack second = new LocalStack(settings, progress::add)) {
                Endpoints e = second.ensure(EnumSet.of(ServerKind.S3));
                assertThat(e.s3Endpoint()).isEqualTo("http://127.0.0.1:29000");
                assertThat(progress).singleElement().asString().contains("adopted");
            }
            assertThat(Probes.tcp("127.0.0.1", 29000)).as("the adopted server still runs").isTrue();
        }
    }
}
