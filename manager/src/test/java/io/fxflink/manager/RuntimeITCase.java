package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.OpsLogRecord;
import io.fxflink.manager.api.Json;
import io.fxflink.opssink.elasticsearch.ElasticsearchConnection;
import io.fxflink.opssink.elasticsearch.EsDocument;
import io.fxflink.opssink.elasticsearch.IndexTemplates;
import io.fxflink.opssink.elasticsearch.OpsDocuments;
import io.fxflink.opssink.elasticsearch.OpsIndices;
import io.fxflink.testsupport.RealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs, events ingress, executions, logs and ops SQL against real PG, Kafka, S3 and ES. */
class RuntimeITCase {
    @RegisterExtension static final RealServers SERVERS = RealServers.all();

    static ManagerFixture fx;
    static ManagerApp app;
    static TestApi api;
    static String admin;
    static String betaViewer;
    static String alphaDev;
    static OpsIndices opsIndices;

    @BeforeAll
    static void start() throws Exception {
        fx = new ManagerFixture(SERVERS);
        opsIndices = new OpsIndices(SERVERS.newIndexPrefix("mgrlogs") + "-");
        app =
                fx.start(
                        Map.of(
                                "FX_ES_URL", SERVERS.elasticsearchUrl(),
                                "FX_ES_LOGS_INDEX", opsIndices.pattern(OpsIndices.LOGS),
                                "FX_OPS_SQL_TIMEOUT_MS", "500",
                                "FX_OPS_SQL_MAX_ROWS", "50",
                                "FX_MANAGER_MAX_EVENT_BYTES", "4096"));
        api = new TestApi(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
        api.post(admin, "/api/v1/projects", Map.of("name", "alpha"));
        api.post(admin, "/api/v1/projects", Map.of("name", "beta"));
        alphaDev = AccessITCaseTokens.create(api, admin, "alpha-dev", Map.of("alpha", "developer"));
        betaViewer = AccessITCaseTokens.create(api, admin, "beta-viewer", Map.of("beta", "viewer"));
        assertThat(
                        api.upload(
                                        admin,
                                        Packages.python("runner", "1", null),
                                        Map.of("project", "alpha"))
                                .status())
                .isEqualTo(201);
        assertThat(
                        api.upload(
                                        admin,
                                        Packages.python(
                                                "nomanual",
                                                "1",
                                                "\"allow_manual_triggering\":false"),
                                        Map.of("project", "alpha"))
                                .status())
                .isEqualTo(201);
        seedExecutions();
        seedLogs();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aManualRunPublishesAPlatformManualEventAddressedToTheService() {
        TestApi.Res r =
                api.post(alphaDev, "/api/v1/services/runner/runs", Map.of("day", "2025-01-31"));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String id = r.json().get("eventId").asText();
        CloudEvent e = awaitEvent(id);
        assertThat(e.getType()).isEqualTo("fx.platform.manual");
        assertThat(e.getExtension("fxservice")).isEqualTo("runner");
        assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"day\":\"2025-01-31\"}");
    }

    @Test
    void runsAreRefusedWithTheReason() {
        TestApi.Res noManual = api.post(admin, "/api/v1/services/nomanual/runs", Map.of());
        assertThat(noManual.status()).isEqualTo(409);
        assertThat(noManual.json().get("message").asText()).contains("allow_manual_triggering");
        assertThat(api.post(admin, "/api/v1/services/ghost/runs", Map.of()).status())
                .isEqualTo(404);
        assertThat(api.post(admin, "/api/v1/services/runner/runs", "[1,2]").status())
                .isEqualTo(400);
        assertThat(api.post(admin, "/api/v1/services/runner/runs", "{bad").status()).isEqualTo(400);
        assertThat(api.post(admin, "/api/v1/services/runner/runs?version=7", Map.of()).status())
                .isEqualTo(400);
        assertThat(api.post(betaViewer, "/api/v1/services/runner/runs", Map.of()).status())
                .isEqualTo(403);
    }

    @Test
    void binaryStructuredAndBatchEventsArePublished() {
        Map<String, String> binary = new LinkedHashMap<>();
        binary.put("ce-specversion", "1.0");
        binary.put("ce-id", "bin-1");
        binary.put("ce-source", "urn:test");
        binary.put("ce-type", "shop.order.created");
        binary.put("ce-subject", "eu");
        binary.put("Content-Type", "application/json");
        TestApi.Res b =
                api.postRaw(
                        alphaDev,
                        "/api/v1/events",
                        binary,
                        "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(b.status()).as(b.toString()).isEqualTo(202);
        assertThat(b.json().get("ids").get(0).asText()).isEqualTo("bin-1");

        String structured =
                "{\"specversion\":\"1.0\",\"id\":\"str-1\",\"source\":\"urn:test\",\"type\":\"shop.x\","
                        + "\"datacontenttype\":\"application/json\",\"data\":{\"k\":\"v\"}}";
        TestApi.Res s =
                api.postRaw(
                        alphaDev,
                        "/api/v1/events",
                        Map.of("Content-Type", "application/cloudevents+json"),
                        structured.getBytes(StandardCharsets.UTF_8));
        assertThat(s.status()).as(s.toString()).isEqualTo(202);

        String batch =
                "[{\"specversion\":\"1.0\",\"id\":\"bat-1\",\"source\":\"urn:t\",\"type\":\"b.x\"},"
                        + "{\"specversion\":\"1.0\",\"id\":\"bat-2\",\"source\":\"urn:t\",\"type\":\"b.y\"}]";
        TestApi.Res bt =
                api.postRaw(
                        alphaDev,
                        "/api/v1/events",
                        Map.of("Content-Type", "application/cloudevents-batch+json"),
                        batch.getBytes(StandardCharsets.UTF_8));
        assertThat(bt.status()).as(bt.toString()).isEqualTo(202);
        assertThat(bt.json().get("accepted").asInt()).isEqualTo(2);

        CloudEvent bin = awaitEvent("bin-1");
        assertThat(bin.getType()).isEqualTo("shop.order.created");
        assertThat(bin.getSubject()).isEqualTo("eu");
        assertThat(new String(bin.getData().toBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"n\":1}");
        assertThat(awaitEvent("str-1").getType()).isEqualTo("shop.x");
        assertThat(awaitEvent("bat-2").getType()).isEqualTo("b.y");
    }

    @Test
    void brokenEventsAreRefusedWithTheReason() {
        Map<String, String> noType = new LinkedHashMap<>();
        noType.put("ce-specversion", "1.0");
        noType.put("ce-id", "x");
        noType.put("ce-source", "urn:test");
        TestApi.Res r = api.postRaw(alphaDev, "/api/v1/events", noType, new byte[0]);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).containsIgnoringCase("type");

        TestApi.Res notCe =
                api.postRaw(
                        alphaDev,
                        "/api/v1/events",
                        Map.of("Content-Type", "application/json"),
                        "{}".getBytes());
        assertThat(notCe.status()).isEqualTo(400);

        TestApi.Res garbage =
                api.postRaw(
                        alphaDev,
                        "/api/v1/events",
                        Map.of("Content-Type", "application/cloudevents+json"),
                        "{\"specversion\":\"1.0\",".getBytes());
        assertThat(garbage.status()).isEqualTo(400);

        Map<String, String> badVersion = new LinkedHashMap<>(noType);
        badVersion.put("ce-type", "a");
        badVersion.put("ce-specversion", "9.9");
        assertThat(api.postRaw(alphaDev, "/api/v1/events", badVersion, new byte[0]).status())
                .isEqualTo(400);

        Map<String, String> big = new LinkedHashMap<>(noType);
        big.put("ce-type", "a");
        TestApi.Res tooBig = api.postRaw(alphaDev, "/api/v1/events", big, new byte[5000]);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().get("message").asText()).contains("max 4096");

        TestApi.Res emptyBatch =
                api.postRaw(
                        alphaDev,
                        "/api/v1/events",
                        Map.of("Content-Type", "application/cloudevents-batch+json"),
                        "[]".getBytes());
        assertThat(emptyBatch.status()).isEqualTo(400);
        assertThat(api.postRaw(betaViewer, "/api/v1/events", big, new byte[1]).status())
                .isEqualTo(403);
    }

    @Test
    void executionsAreListedFilteredShownAndChained() {
        JsonNode all = api.get(admin, "/api/v1/executions?service=runner").json();
        assertThat(all).hasSize(3);
        JsonNode failed = api.get(admin, "/api/v1/executions?status=failed").json();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("executionId").asText()).isEqualTo("ex-child-2");
        assertThat(api.get(admin, "/api/v1/executions?triggerEventId=ev-root").json()).hasSize(1);
        assertThat(api.get(admin, "/api/v1/executions?limit=1").json()).hasSize(1);
        assertThat(api.get(admin, "/api/v1/executions?status=bogus").status()).isEqualTo(400);
        assertThat(api.get(admin, "/api/v1/executions?from=yesterday").status()).isEqualTo(400);
        assertThat(api.get(admin, "/api/v1/executions?limit=100000").status()).isEqualTo(400);

        JsonNode one = api.get(admin, "/api/v1/executions/ex-root").json();
        assertThat(one.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(one.get("durationMs").asLong()).isEqualTo(120);
        assertThat(api.get(admin, "/api/v1/executions/nope").status()).isEqualTo(404);

        JsonNode chain = api.get(admin, "/api/v1/executions/ex-child-1/chain").json();
        assertThat(ids(chain)).containsExactly("ex-root", "ex-child-1", "ex-child-2");
        assertThat(ids(api.get(admin, "/api/v1/events/ev-child-1/executions").json()))
                .containsExactlyInAnyOrder("ex-child-1", "ex-child-2");

        // cross-project: beta's viewer sees none of alpha's executions
        assertThat(api.get(betaViewer, "/api/v1/executions").json()).isEmpty();
        assertThat(api.get(betaViewer, "/api/v1/executions/ex-root").status()).isEqualTo(404);
    }

    @Test
    void logsArePagedAndFilteredByLevel() {
        JsonNode all = api.get(admin, "/api/v1/executions/ex-root/logs?size=2").json();
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("records")).hasSize(2);
        assertThat(all.get("records").get(0).get("message").asText()).isEqualTo("starting");
        JsonNode page2 = api.get(admin, "/api/v1/executions/ex-root/logs?size=2&from=2").json();
        assertThat(page2.get("records").get(0).get("message").asText()).isEqualTo("boom");
        JsonNode warn = api.get(admin, "/api/v1/executions/ex-root/logs?level=warn").json();
        assertThat(warn.get("total").asLong()).isEqualTo(2);
        assertThat(api.get(admin, "/api/v1/executions/ex-root/logs?level=loud").status())
                .isEqualTo(400);
        assertThat(api.get(betaViewer, "/api/v1/executions/ex-root/logs").status()).isEqualTo(404);
    }

    @Test
    void opsSqlRunsReadOnlyQueriesOnly() {
        TestApi.Res ok =
                api.post(
                        admin,
                        "/api/v1/ops/sql",
                        Map.of(
                                "sql",
                                "SELECT service, count(*) AS n FROM executions GROUP BY service;"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("columns").get(1).get("name").asText()).isEqualTo("n");
        assertThat(ok.json().get("rows").get(0).get(1).asInt()).isEqualTo(3);

        TestApi.Res limited =
                api.post(
                        admin,
                        "/api/v1/ops/sql",
                        Map.of("sql", "SELECT * FROM generate_series(1, 100)", "limit", 10));
        assertThat(limited.json().get("rowCount").asInt()).isEqualTo(10);
        assertThat(limited.json().get("truncated").asBoolean()).isTrue();

        assertSqlRefused("DELETE FROM executions", 400, "read-only");
        assertSqlRefused(
                "WITH x AS (DELETE FROM executions RETURNING *) SELECT * FROM x", 400, "read-only");
        assertSqlRefused("SELECT 1; DELETE FROM executions", 400, "one statement");
        assertSqlRefused("SELECT 1; SELECT 2", 400, "one statement");
        assertSqlRefused("SELECT * FROM api_tokens", 403, "permission denied");
        assertSqlRefused("SELECT set_config('role', 'postgres', false)", 400, "set_config");
        assertSqlRefused("SELECT pg_sleep(5)", 400, "timeout");
        assertSqlRefused("SELECT $$;$$", 400, "dollar");
        assertSqlRefused("", 400, "required");
        // the semicolon inside a literal is data, not a second statement
        assertThat(
                        api.post(admin, "/api/v1/ops/sql", Map.of("sql", "SELECT 'a;b' AS s"))
                                .json()
                                .get("rows")
                                .get(0)
                                .get(0)
                                .asText())
                .isEqualTo("a;b");
        assertThat(api.post(alphaDev, "/api/v1/ops/sql", Map.of("sql", "SELECT 1")).status())
                .isEqualTo(403);
        assertThat(api.get(admin, "/api/v1/executions?service=runner").json()).hasSize(3);
    }

    @Test
    void healthReportsEveryDependencyAndMetricsArePrometheusText() throws Exception {
        TestApi.Res h = api.get(null, "/health");
        assertThat(h.status()).as(h.toString()).isEqualTo(200);
        for (String c :
                List.of(
                        "postgresql",
                        "objectStore",
                        "kafka",
                        "elasticsearch",
                        "configStore",
                        "linksOutbox")) {
            assertThat(h.json().get("components").get(c).get("status").asText())
                    .as(c)
                    .isEqualTo("UP");
        }
        // no Flink configured: degraded, still ready
        assertThat(h.json().get("status").asText()).isEqualTo("DEGRADED");
        assertThat(h.json().get("components").get("flink").get("status").asText())
                .isEqualTo("DISABLED");
        api.get(admin, "/api/v1/services");
        TestApi.Res m = api.get(admin, "/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.body())
                .contains("fx_manager_http_requests_seconds_count")
                .contains("route=\"/api/v1/services\"");
    }

    @Test
    void opsSqlRunsAsItsOwnReadOnlyLoginNotOnTheManagersConnections() {
        TestApi.Res who =
                api.post(
                        admin,
                        "/api/v1/ops/sql",
                        Map.of(
                                "sql",
                                "SELECT session_user::text AS login, current_user::text AS role,"
                                        + " current_setting('default_transaction_read_only') AS ro"));
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        JsonNode row = who.json().get("rows").get(0);
        assertThat(row.get(0).asText()).isEqualTo("fx_ops_sql");
        assertThat(row.get(1).asText()).isEqualTo("fx_ops_reader");
        assertThat(row.get(2).asText()).isEqualTo("on");
        // the manager's own tables stay out of reach even for the login itself
        assertSqlRefused("SELECT * FROM links_outbox", 403, "permission denied");
    }

    @Test
    void anUnreachableFlinkDegradesButDoesNotFailReadiness() {
        try (ManagerApp other =
                fx.start(
                        Map.of(
                                "FX_FLINK_REST_URL",
                                // port 1: nothing listens there, the connection is refused
                                "http://127.0.0.1:1"))) {
            TestApi.Res h = new TestApi(other.port()).get(null, "/health");
            assertThat(h.status()).as(h.toString()).isEqualTo(200);
            assertThat(h.json().get("status").asText()).isEqualTo("DEGRADED");
            JsonNode flink = h.json().get("components").get("flink");
            assertThat(flink.get("status").asText()).isEqualTo("DOWN");
            assertThat(flink.get("error").asText()).contains("does not answer");
        }
    }

    private static void assertSqlRefused(String sql, int status, String reason) {
        TestApi.Res r = api.post(admin, "/api/v1/ops/sql", Map.of("sql", sql));
        assertThat(r.status()).as(sql + " -> " + r).isEqualTo(status);
        assertThat(r.json().get("message").asText()).as(sql).containsIgnoringCase(reason);
    }

    private static CloudEvent awaitEvent(String id) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                fx.readEvents(Duration.ofSeconds(10)).stream()
                                        .filter(e -> e.getId().equals(id))
                                        .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.get("executionId").asText()));
        return out;
    }

    /** Rows as the ops sink writes them: a root execution whose event caused two more. */
    static void seedExecutions() throws Exception {
        Instant t = Instant.parse("2025-01-31T12:00:00Z");
        try (Connection c = fx.db.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO executions (execution_id, service, service_version, status, attempt, seq,"
                                        + " trigger_event_id, trigger_event_type, causation_id, root_event_id,"
                                        + " causation_depth, queued_at, duration_ms, updated_at) VALUES"
                                        + " (?, 'runner', '1', ?, 1, 1, ?, 'x', ?, 'ev-root', ?, ?, ?, ?)")) {
            Object[][] rows = {
                {"ex-root", "SUCCEEDED", "ev-root", null, 0, 120L},
                {"ex-child-1", "SUCCEEDED", "ev-child-1", "ev-root", 1, 30L},
                {"ex-child-2", "FAILED", "ev-child-2", "ev-child-1", 2, 5L},
            };
            int i = 0;
            for (Object[] r : rows) {
                ps.setString(1, (String) r[0]);
                ps.setString(2, (String) r[1]);
                ps.setString(3, (String) r[2]);
                ps.setString(4, (String) r[3]);
                ps.setInt(5, (Integer) r[4]);
                ps.setTimestamp(6, Timestamp.from(t.plusSeconds(i)));
                ps.setLong(7, (Long) r[5]);
                ps.setTimestamp(8, Timestamp.from(t.plusSeconds(i++)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Log lines indexed the way the ops sink indexes them: its index templates (installed as the
     * job installs them at start), its document builder (fields, index of the day, document id),
     * sent in a bulk request of index actions with the document's index and id, as its writer does.
     */
    static void seedLogs() throws Exception {
        IndexTemplates.install(
                ElasticsearchConnection.builder().url(SERVERS.elasticsearchUrl()).build(),
                opsIndices,
                1,
                0);
        Instant t = Instant.parse("2025-01-31T12:00:00Z");
        List<OpsLogRecord> lines =
                List.of(
                        OpsLogRecord.of(
                                "ex-root",
                                "runner",
                                "1",
                                1,
                                1,
                                "main.py",
                                LogLevel.INFO,
                                t.plusSeconds(1),
                                "starting"),
                        OpsLogRecord.of(
                                "ex-root",
                                "runner",
                                "1",
                                1,
                                2,
                                "main.py",
                                LogLevel.WARN,
                                t.plusSeconds(2),
                                "slow"),
                        OpsLogRecord.of(
                                "ex-root",
                                "runner",
                                "1",
                                1,
                                3,
                                "main.py",
                                LogLevel.ERROR,
                                t.plusSeconds(3),
                                "boom"),
                        OpsLogRecord.of(
                                "other", "runner", "1", 1, 1, null, LogLevel.ERROR, t, "x"));
        StringBuilder bulk = new StringBuilder();
        long offset = 0;
        for (OpsLogRecord line : lines) {
            EsDocument d = OpsDocuments.log(opsIndices, line, "fx.ops.logs", 0, offset++);
            bulk.append(
                            Json.mapper()
                                    .writeValueAsString(
                                            Map.of(
                                                    "index",
                                                    Map.of("_index", d.index, "_id", d.id))))
                    .append('\n')
                    .append(d.sourceText())
                    .append('\n');
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = send(http, "POST", "/_bulk?refresh=true", bulk.toString());
        assertThat(r.body()).contains("\"errors\":false");
        // the daily index was created from the sink's template (not from dynamic mapping)
        String index = opsIndices.logs(t);
        JsonNode mapping =
                Json.mapper()
                        .readTree(send(http, "GET", "/" + index + "/_mapping", null).body())
                        .at("/" + index + "/mappings");
        assertThat(mapping.at("/dynamic").asText()).as(mapping.toString()).isEqualTo("false");
    }

    @AfterAll
    static void deleteTemplates() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String kind : List.of(OpsIndices.LOGS, OpsIndices.EXECUTIONS, OpsIndices.METRICS)) {
            send(http, "DELETE", "/_index_template/" + opsIndices.templateName(kind), null);
        }
    }

    private static HttpResponse<String> send(
            HttpClient http, String method, String path, String body) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(SERVERS.elasticsearchUrl() + path))
                                .header(
                                        "Content-Type",
                                        path.contains("_bulk")
                                                ? "application/x-ndjson"
                                                : "application/json")
                                .method(
                                        method,
                                        body == null
                                                ? HttpRequest.BodyPublishers.noBody()
                                                : HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
        return r;
    }
}
