package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One test per defect the fuzz run against the manager found: each hostile request gets a clear 4xx
 * with the JSON error body (never a 500, never Jetty's HTML), and the manager keeps serving.
 */
class RequestHardeningITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    static ManagerFixture fx;
    static ManagerApp app;
    static TestApi api;
    static RawHttp raw;
    static String admin;

    @BeforeAll
    static void start() {
        fx = new ManagerFixture(SERVERS);
        app = fx.start();
        api = new TestApi(app.port());
        raw = new RawHttp(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
        TestApi.Res up = api.upload(admin, Packages.python("svc", "1", null), Map.of());
        assertThat(up.status()).as(up.toString()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The answer is {@code status} with the API's error body, a bounded message and no HTML. */
    static JsonNode assertError(RawHttp.Answer a, int status) {
        assertThat(a.status()).as(a.toString()).isEqualTo(status);
        assertThat(a.headers().get("content-type")).as(a.toString()).contains("application/json");
        JsonNode n = a.json();
        assertThat(n).as(a.toString()).isNotNull();
        assertThat(n.get("status").asInt()).isEqualTo(status);
        assertThat(n.get("code").asText()).isNotBlank();
        assertThat(n.get("message").asText()).isNotBlank().hasSizeLessThan(700);
        return n;
    }

    static RawHttp.Answer json(String method, String path, String body) {
        return json(method, path, body, "application/json");
    }

    static RawHttp.Answer json(String method, String path, String body, String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + admin);
        h.put("Content-Type", contentType);
        return raw.send(
                method, path, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    static RawHttp.Answer get(String path) {
        return raw.send("GET", path, Map.of("Authorization", "Bearer " + admin), null);
    }

    static void assertHealthy() {
        assertThat(api.get(null, "/health").status()).isEqualTo(200);
        TestApi.Res r = api.get(admin, "/api/v1/services/svc");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void aNulInAJsonStringIsA400BeforeItReachesPostgres() {
        String nul = "a\\u0000b";
        for (String[] req :
                new String[][] {
                    {
                        "POST",
                        "/api/v1/links",
                        "{\"eventType\":\"" + nul + "\",\"service\":\"svc\"}"
                    },
                    {
                        "POST",
                        "/api/v1/links",
                        "{\"eventType\":\"x.y\",\"service\":\"svc\",\"filter\":\"source = '"
                                + nul
                                + "'\"}"
                    },
                    {
                        "POST",
                        "/api/v1/tokens",
                        "{\"name\":\"" + nul + "\",\"roles\":{\"*\":\"viewer\"}}"
                    },
                    {
                        "POST",
                        "/api/v1/tokens",
                        "{\"name\":\"t\",\"roles\":{\"" + nul + "\":\"viewer\"}}"
                    },
                    {
                        "PUT",
                        "/api/v1/services/svc/default-version",
                        "{\"version\":\"" + nul + "\"}"
                    },
                    {"POST", "/api/v1/projects", "{\"name\":\"" + nul + "\"}"},
                    {"POST", "/api/v1/services/svc/runs", "{\"p\":\"" + nul + "\"}"},
                    {"PUT", "/api/v1/config/k", "{\"value\":\"" + nul + "\"}"},
                    {"POST", "/api/v1/ops/sql", "{\"sql\":\"select '" + nul + "'\"}"},
                }) {
            JsonNode e = assertError(json(req[0], req[1], req[2]), 400);
            assertThat(e.get("message").asText()).as(req[1]).containsAnyOf("U+0000", "NUL");
        }
        assertHealthy();
    }

    @Test
    void aNulOrControlCharacterInAQueryParameterIsA400() {
        for (String path :
                new String[] {
                    "/api/v1/executions?service=a%00b",
                    "/api/v1/executions?status=%00",
                    "/api/v1/executions?triggerEventId=%0d%0a",
                    "/api/v1/executions?rootEventId=x%00",
                    "/api/v1/executions?causationId=%00",
                    "/api/v1/links?service=%00",
                    "/api/v1/links?eventType=a%00",
                    "/api/v1/executions/x/logs?level=%00",
                    "/api/v1/services/svc?x%00=1",
                }) {
            JsonNode e = assertError(get(path), 400);
            assertThat(e.get("message").asText()).as(path).contains("query parameter");
        }
        assertError(json("POST", "/api/v1/services/svc/runs?version=%00", "{}"), 400);
        // path parameters too
        assertError(get("/api/v1/links/a%00b"), 400);
        assertError(get("/api/v1/executions/%0d%0a/chain"), 400);
        assertHealthy();
    }

    @Test
    void aFormFieldProjectWithANulIsA400() {
        TestApi.Res r =
                api.upload(
                        admin, Packages.python("svc-p", "1", null), Map.of("project", "a\u0000b"));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("project");
    }

    @Test
    void aManifestConfigValueWithANulIsA400() {
        TestApi.Res r =
                api.upload(
                        admin,
                        Packages.python("svc-c", "1", "\"config\":{\"k\":\"a\\u0000b\"}"),
                        Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("config value").contains("U+0000");
    }

    @Test
    void aNullJsonBodyIsA400() {
        assertError(json("POST", "/api/v1/ops/sql", "null"), 400);
        assertError(json("PUT", "/api/v1/services/svc/default-version", "null"), 400);
        assertError(json("POST", "/api/v1/links", "null"), 400);
        assertError(json("POST", "/api/v1/tokens", "[]"), 400);
        assertError(json("POST", "/api/v1/services/svc/runs", "null"), 400);
        assertHealthy();
    }

    @Test
    void aTimestampOutsideWhatPostgresHoldsIsA400() {
        JsonNode e = assertError(get("/api/v1/executions?from=-999999999-01-01T00:00:00Z"), 400);
        assertThat(e.get("message").asText()).contains("from");
        assertError(get("/api/v1/executions?to=+999999999-12-31T23:59:59Z"), 400);
    }

    @Test
    void anUnknownCharsetInContentTypeIsA415() {
        JsonNode e =
                assertError(
                        json(
                                "POST",
                                "/api/v1/projects",
                                "{\"name\":\"cs\"}",
                                "application/json; charset=x-no-such-charset"),
                        415);
        assertThat(e.get("code").asText()).isEqualTo("unsupported_media_type");
        assertError(
                json(
                        "PUT",
                        "/api/v1/config/k",
                        "{\"value\":\"v\"}",
                        "application/json; charset=\"!!\""),
                415);
        assertHealthy();
    }

    @Test
    void opsSqlRunsOneStatementAsTheDriverSeesIt() {
        // E'\'' is one string to PostgreSQL; a scanner that ignores E-strings saw a single
        // statement, the driver sent three and pg_sleep ran after COMMIT, outside the timeout
        String sql = "SELECT E'\\''; COMMIT; SELECT pg_sleep(8) --'";
        long t0 = System.nanoTime();
        JsonNode e =
                assertError(json("POST", "/api/v1/ops/sql", "{\"sql\":" + quote(sql) + "}"), 400);
        assertThat(e.get("message").asText()).contains("one statement");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4000);
        // the deny-list sees through E-strings too
        assertError(
                json(
                        "POST",
                        "/api/v1/ops/sql",
                        "{\"sql\":"
                                + quote("SELECT E'\\'', set_config('a.b','c',false) --'")
                                + "}"),
                400);
        assertHealthy();
    }

    @Test
    void opsSqlWithParametersOrNulLeavesThePoolUsable() {
        assertError(json("POST", "/api/v1/ops/sql", "{\"sql\":\"select $1\"}"), 400);
        assertError(json("POST", "/api/v1/ops/sql", "{\"sql\":\"select ?\"}"), 400);
        assertError(json("POST", "/api/v1/ops/sql", "{\"sql\":\"select 1\\u0000\"}"), 400);
        assertError(json("POST", "/api/v1/ops/sql", "{\"sql\":\"select 1/0\"}"), 400);
        // the ops pool has two connections: every one of them still answers
        for (int i = 0; i < 6; i++) {
            RawHttp.Answer a =
                    json("POST", "/api/v1/ops/sql", "{\"sql\":\"select " + i + " as n\"}");
            assertThat(a.status()).as(a.toString()).isEqualTo(200);
            assertThat(a.json().get("rows").get(0).get(0).asInt()).isEqualTo(i);
        }
    }

    @Test
    void opsSqlAnswersAreCappedInBytes() {
        RawHttp.Answer a =
                json(
                        "POST",
                        "/api/v1/ops/sql",
                        "{\"sql\":\"select repeat('x', 100000) from generate_series(1, 150)\"}");
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        JsonNode n = a.json();
        assertThat(n.get("truncated").asBoolean()).isTrue();
        assertThat(n.get("truncatedBy").asText()).isEqualTo("bytes");
        assertThat(n.get("rowCount").asInt()).isLessThan(150);
        assertThat(a.body().length).isLessThanOrEqualTo((4 << 20) + 64 * 1024);
    }

    @Test
    void aJsonRouteRefusesALargeBodyOnItsDeclaredLengthWithoutReadingIt() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + admin);
        h.put("Content-Type", "application/json");
        h.put("Content-Length", Integer.toString(51 << 20));
        long t0 = System.nanoTime();
        // only 1 KiB of the declared 51 MiB is ever sent
        RawHttp.Answer a = raw.send("POST", "/api/v1/projects", h, new byte[1024]);
        JsonNode e = assertError(a, 413);
        assertThat(e.get("message").asText()).contains("at most");
        assertThat(a.closed()).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
    }

    @Test
    void aChunkedBodyIsCutOffWhileReadingAtTheRoutesLimit() {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        StringBuilder head = new StringBuilder();
        head.append("POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ")
                .append(admin)
                .append("\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n")
                .append("Connection: close\r\n\r\n");
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 24; i++) { // 1.5 MiB, over the 1 MiB limit of a JSON route
            body.writeBytes(
                    (Integer.toHexString(chunk.length) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(chunk);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Answer a =
                raw.raw(
                        head.toString().getBytes(StandardCharsets.US_ASCII),
                        body.toByteArray(),
                        15_000);
        assertError(a, 413);
        assertHealthy();
    }

    @Test
    void aHugeDeclaredLengthDoesNotHoldTheConnection() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + admin);
        h.put("Content-Length", "1000000000000");
        long t0 = System.nanoTime();
        RawHttp.Answer a = raw.send("GET", "/api/v1/services", h, new byte[10]);
        assertError(a, 413);
        assertThat(a.closed()).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        a = raw.send("POST", "/api/v1/services", h, new byte[10]);
        assertError(a, 413);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void anErrorMessageNeverEchoesAWholeValue() {
        String big = "x".repeat(900_000);
        RawHttp.Answer a =
                json(
                        "POST",
                        "/api/v1/links",
                        "{\"id\":\"" + big + "\",\"eventType\":\"a\",\"service\":\"svc\"}");
        assertError(a, 400);
        assertThat(a.body().length).isLessThan(1024);
        a = get("/api/v1/executions?from=" + "9".repeat(1000));
        assertError(a, 400);
        assertThat(a.body().length).isLessThan(1024);
    }

    @Test
    void aSixFieldScheduleIsRefusedUnlessAskedForWithAMinimumInterval() {
        TestApi.Res r =
                api.upload(
                        admin,
                        Packages.python("cron6", "1", "\"schedule\":\"* * * * * *\""),
                        Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("schedule").contains("6 fields");
        r =
                api.upload(
                        admin,
                        Packages.python("cron6", "1", "\"schedule\":\"@seconds * * * * * *\""),
                        Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("at most every 10 s");
        r =
                api.upload(
                        admin,
                        Packages.python("cron6", "1", "\"schedule\":\"@seconds */30 * * * * *\""),
                        Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(api.get(admin, "/api/v1/services/cron6").body())
                .contains("@seconds */30 * * * * *");
    }

    @Test
    void linksWithAnUnknownFunctionAnEverythingPatternOrControlCharactersAreRefused() {
        JsonNode e =
                assertError(
                        json(
                                "POST",
                                "/api/v1/links",
                                "{\"eventType\":\"a.b\",\"service\":\"svc\",\"filter\":\"FOO(1) = 1\"}"),
                        400);
        assertThat(e.get("message").asText()).contains("FOO/1");
        assertError(
                json(
                        "POST",
                        "/api/v1/links",
                        "{\"eventType\":\"*\",\"match\":\"PREFIX\",\"service\":\"svc\"}"),
                400);
        assertError(
                json("POST", "/api/v1/links", "{\"eventType\":\"*\",\"service\":\"svc\"}"), 400);
        assertError(
                json("POST", "/api/v1/links", "{\"eventType\":\"a\\r\\nb\",\"service\":\"svc\"}"),
                400);
        assertError(
                json(
                        "POST",
                        "/api/v1/tokens",
                        "{\"name\":\"a\\r\\nX-Evil: 1\",\"roles\":{\"*\":\"viewer\"}}"),
                400);
        // an update is checked like a create
        RawHttp.Answer ok =
                json(
                        "POST",
                        "/api/v1/links",
                        "{\"id\":\"l-upd\",\"eventType\":\"a.b\",\"service\":\"svc\"}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertError(
                json(
                        "PUT",
                        "/api/v1/links/l-upd",
                        "{\"eventType\":\"a.b\",\"service\":\"svc\",\"filter\":\"nope(type)\"}"),
                400);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        RawHttp.Answer a =
                raw.send(
                        "DELETE",
                        "/api/v1/links",
                        Map.of("Authorization", "Bearer " + admin),
                        null);
        assertError(a, 405);
        assertThat(a.headers().get("allow")).contains("GET").contains("POST");
        a = json("PATCH", "/api/v1/services/svc", "{}");
        assertError(a, 405);
        assertThat(a.headers().get("allow")).contains("GET").contains("DELETE");
        // an unknown path stays 404
        assertError(get("/api/v1/nothing-here"), 404);
    }

    @Test
    void headAnswersWhatGetAnswers() {
        RawHttp.Answer a =
                raw.send(
                        "HEAD",
                        "/api/v1/links/no-such-link",
                        Map.of("Authorization", "Bearer " + admin),
                        null);
        assertThat(a.status()).isEqualTo(404);
        a =
                raw.send(
                        "HEAD",
                        "/api/v1/nothing-here",
                        Map.of("Authorization", "Bearer " + admin),
                        null);
        assertThat(a.status()).isEqualTo(404);
        a =
                raw.send(
                        "HEAD",
                        "/api/v1/services/svc",
                        Map.of("Authorization", "Bearer " + admin),
                        null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEmpty();
    }

    @Test
    void whatJettyRefusesAnswersWithTheJsonErrorBody() {
        assertError(get("/api/v1/services?q=" + "a".repeat(20_000)), 414);
        RawHttp.Answer a =
                raw.send(
                        "GET",
                        "/api/v1/services",
                        Map.of("Authorization", "Bearer " + admin, "X-Big", "b".repeat(20_000)),
                        null);
        assertError(a, 431);
        a =
                raw.send(
                        "DELETE",
                        "/api/v1/config/svc",
                        Map.of(
                                "Authorization",
                                "Bearer " + admin,
                                "Content-Type",
                                "application/json\u0001"),
                        "[[[]]]".getBytes(StandardCharsets.US_ASCII));
        assertThat(a.headers()).as(a.toString()).containsKey("content-type");
        assertError(a, 400);
        a = raw.raw("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null, 5000);
        assertError(a, 400);
        a =
                raw.send(
                        "GET",
                        "/api/v1/services/%zz",
                        Map.of("Authorization", "Bearer " + admin),
                        null);
        assertThat(a.status()).as(a.toString()).isBetween(400, 499);
        assertError(a, a.status());
        assertHealthy();
    }

    @Test
    void jsonIsStrictWithAPlainMessage() {
        JsonNode e = assertError(json("POST", "/api/v1/projects", "{\"name\":\"tg\"} xyz"), 400);
        assertThat(e.get("message").asText()).doesNotContain("io.fxflink").doesNotContain("`");
        e = assertError(json("POST", "/api/v1/projects", "{\"name\":\"a\",\"name\":\"b\"}"), 400);
        assertThat(e.get("message").asText()).contains("Duplicate").doesNotContain("io.fxflink");
        e = assertError(json("PUT", "/api/v1/config/k", "{\"value\":\"a\",\"value\":\"b\"}"), 400);
        e =
                assertError(
                        json("POST", "/api/v1/tokens", "{\"name\":\"t\",\"roles\":\"viewer\"}"),
                        400);
        assertThat(e.get("message").asText())
                .contains("roles")
                .doesNotContain("io.fxflink")
                .doesNotContain("java.")
                .doesNotContain("`");
        e = assertError(json("POST", "/api/v1/ops/sql", "{\"sql\":1,\"limit\":\"x\"}"), 400);
        assertThat(e.get("message").asText()).doesNotContain("java.").doesNotContain("`");
        assertError(json("POST", "/api/v1/services/svc/runs", "{} []"), 400);
        assertHealthy();
    }

    private static String quote(String s) {
        try {
            return io.fxflink.manager.api.Json.mapper().writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
