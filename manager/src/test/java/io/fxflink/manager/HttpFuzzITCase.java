package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.testsupport.RealServers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzz of every HTTP route of the manager: jqwik generates hostile requests (NUL,
 * control characters, CRLF, unpaired surrogates, huge values, null JSON, wrong types, trailing
 * garbage, duplicate keys, deep nesting, invalid UTF-8, bad charsets and content types, lying
 * lengths, wrong methods, hostile path and query parameters) from a fixed seed. For every answer:
 * no 5xx (except the documented 503 of the jobs routes without Flink), the JSON error body on 4xx,
 * a bounded message and answer; after each route the manager is healthy and an ordinary request
 * works.
 *
 * <p>A jqwik property with a fixed seed; the number of cases is jqwik's {@code jqwik.tries.default}
 * (400 in {@code junit-platform.properties}; {@code -Djqwik.tries.default=N} runs more). Routes are
 * drawn evenly, so each gets about tries / routes cases; the per-route outcome table is written to
 * {@code target/http-fuzz-report.txt}.
 */
class HttpFuzzITCase {
    // jqwik has no JUnit Jupiter extensions: the servers are started and cleaned up by hand
    static final RealServers SERVERS = RealServers.all();
    static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    static final List<String> METHODS =
            List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE");

    static ManagerFixture fx;
    static ManagerApp app;
    static TestApi api;
    static RawHttp raw;
    static String admin;
    static List<String[]> routes;
    static final Map<String, Map<Integer, Integer>> OUTCOMES = new ConcurrentHashMap<>();

    @BeforeContainer
    static void start() {
        fx = new ManagerFixture(SERVERS);
        app =
                fx.start(
                        Map.of(
                                "FX_ES_URL",
                                SERVERS.elasticsearchUrl(),
                                "FX_ES_LOGS_INDEX",
                                SERVERS.newIndexPrefix("fuzzlogs") + "-*"));
        api = new TestApi(app.port());
        raw = new RawHttp(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
        TestApi.Res up = api.upload(admin, Packages.python("svc", "1", null), Map.of());
        assertThat(up.status()).as(up.toString()).isEqualTo(201);
        TestApi.Res link =
                api.post(
                        admin,
                        "/api/v1/links",
                        Map.of("id", "lnk", "eventType", "com.example.a", "service", "svc"));
        assertThat(link.status()).as(link.toString()).isEqualTo(201);
        routes = new ArrayList<>();
        for (var e : app.javalinApp().unsafe.internalRouter.allHttpHandlers()) {
            String method = e.endpoint.method.name();
            if (METHODS.contains(method) && !method.equals("HEAD")) {
                routes.add(new String[] {method, e.endpoint.path});
            }
        }
        routes.sort((a, b) -> (a[1] + a[0]).compareTo(b[1] + b[0]));
        assertThat(routes).hasSizeGreaterThan(30);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            StringBuilder report = new StringBuilder();
            int total =
                    OUTCOMES.values().stream()
                            .flatMap(m -> m.values().stream())
                            .mapToInt(i -> i)
                            .sum();
            report.append("HTTP fuzz: ")
                    .append(total)
                    .append(" requests over ")
                    .append(OUTCOMES.size())
                    .append(" routes (route: {status=count})\n");
            new TreeMap<>(OUTCOMES)
                    .forEach(
                            (k, v) ->
                                    report.append(
                                            String.format(
                                                    Locale.ROOT,
                                                    "%-58s %s%n",
                                                    k,
                                                    new TreeMap<>(v))));
            Path out = Path.of("target", "http-fuzz-report.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println(report);
        } finally {
            if (app != null) {
                app.close();
            }
            SERVERS.afterAll(null);
        }
    }

    // ---- generators -------------------------------------------------------------------------

    /** Strings that broke or could break a handler, a query or a log line. */
    static Arbitrary<String> hostileText() {
        Arbitrary<String> controls =
                Arbitraries.strings()
                        .withCharRange('\u0000', '\u001f')
                        .withChars('\u007f', '\u0085', '\u2028')
                        .ofMinLength(1)
                        .ofMaxLength(8);
        Arbitrary<String> plain =
                Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars('.', '-', '_')
                        .ofMinLength(1)
                        .ofMaxLength(20);
        Arbitrary<String> mixed =
                Combinators.combine(plain, controls, plain).as((a, b, c) -> a + b + c);
        Arbitrary<String> huge =
                Arbitraries.integers().between(300, 120_000).map(n -> "x".repeat(n));
        Arbitrary<String> anyUnicode = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> loneSurrogate = plain.map(s -> s + '\ud800');
        Arbitrary<String> known =
                Arbitraries.of(
                        "svc",
                        "lnk",
                        "default",
                        "*",
                        "",
                        " ",
                        "..",
                        "../../etc/passwd",
                        "%00",
                        "null",
                        "true",
                        "-1",
                        "0",
                        "99999999999999999999",
                        "1e309",
                        "NaN",
                        "'; DROP TABLE services; --",
                        "SELECT 1",
                        "FOO(1) = 1",
                        "a\r\nX-Evil: 1",
                        "-999999999-01-01T00:00:00Z",
                        "2025-01-31T12:00:00Z",
                        "* * * * * *",
                        "\u0000",
                        "\ufeff",
                        "é",
                        "😀");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, mixed),
                net.jqwik.api.Tuple.of(3, known),
                net.jqwik.api.Tuple.of(2, controls),
                net.jqwik.api.Tuple.of(1, huge),
                net.jqwik.api.Tuple.of(2, anyUnicode),
                net.jqwik.api.Tuple.of(1, loneSurrogate),
                net.jqwik.api.Tuple.of(2, plain));
    }

    /** A JSON value: hostile strings, wrong types, nulls, nesting. */
    static Arbitrary<String> jsonValue() {
        Arbitrary<String> str = hostileText().map(HttpFuzzITCase::jsonString);
        Arbitrary<String> scalars =
                Arbitraries.of(
                        "null",
                        "true",
                        "false",
                        "0",
                        "-1",
                        "1.5",
                        "1e400",
                        "-0",
                        "123456789012345678901234567890",
                        "[]",
                        "{}",
                        "[null]",
                        "{\"a\":null}",
                        "[1,\"a\",{}]");
        Arbitrary<String> obj =
                Combinators.combine(hostileText(), str)
                        .as((k, v) -> "{" + jsonString(k) + ":" + v + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, str),
                net.jqwik.api.Tuple.of(3, scalars),
                net.jqwik.api.Tuple.of(1, obj));
    }

    static final List<String> FIELDS =
            List.of(
                    "name",
                    "roles",
                    "id",
                    "eventType",
                    "match",
                    "filter",
                    "service",
                    "serviceVersion",
                    "weightedVersions",
                    "enabled",
                    "version",
                    "sql",
                    "limit",
                    "value",
                    "job",
                    "entryClass",
                    "programArgs",
                    "parallelism",
                    "savepointPath",
                    "drain",
                    "targetDirectory",
                    "project",
                    "specversion",
                    "type",
                    "source",
                    "data");

    /** A body: an object of known field names with hostile values, or something that is not one. */
    static Arbitrary<byte[]> body() {
        Arbitrary<String> field =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.of(FIELDS)),
                        net.jqwik.api.Tuple.of(1, hostileText()));
        Arbitrary<String> member =
                Combinators.combine(field, jsonValue()).as((k, v) -> jsonString(k) + ":" + v);
        Arbitrary<String> object =
                member.list().ofMinSize(0).ofMaxSize(6).map(ms -> "{" + String.join(",", ms) + "}");
        Arbitrary<String> duplicate =
                Combinators.combine(Arbitraries.of(FIELDS), jsonValue(), jsonValue())
                        .as(
                                (k, a, b) ->
                                        "{"
                                                + jsonString(k)
                                                + ":"
                                                + a
                                                + ","
                                                + jsonString(k)
                                                + ":"
                                                + b
                                                + "}");
        Arbitrary<String> trailing =
                Combinators.combine(
                                object,
                                Arbitraries.of(" x", "}", "{}", "[]", " null", ",", "\u0000"))
                        .as((o, t) -> o + t);
        Arbitrary<String> deep =
                Arbitraries.integers().between(500, 5000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> notJson =
                Arbitraries.of(
                        "",
                        "null",
                        "[]",
                        "\"x\"",
                        "1",
                        "{",
                        "{\"a\":",
                        "{'a':1}",
                        "<xml/>",
                        "\u0000",
                        "{\"sql\":\"select 1\"}garbage");
        Arbitrary<byte[]> text =
                Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(6, object),
                                net.jqwik.api.Tuple.of(2, duplicate),
                                net.jqwik.api.Tuple.of(2, trailing),
                                net.jqwik.api.Tuple.of(1, deep),
                                net.jqwik.api.Tuple.of(3, notJson))
                        .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> invalidUtf8 =
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMinSize(1)
                        .ofMaxSize(64)
                        .map(
                                b ->
                                        concat(
                                                "{\"name\":\"".getBytes(StandardCharsets.UTF_8),
                                                b,
                                                new byte[] {(byte) 0xC0, (byte) 0x80, '"', '}'}));
        Arbitrary<byte[]> tooBig =
                Arbitraries.integers()
                        .between((1 << 20) + 1, (1 << 20) + 4096)
                        .map(
                                n -> {
                                    byte[] b = new byte[n];
                                    java.util.Arrays.fill(b, (byte) ' ');
                                    b[0] = '{';
                                    b[n - 1] = '}';
                                    return b;
                                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, text),
                net.jqwik.api.Tuple.of(2, invalidUtf8),
                net.jqwik.api.Tuple.of(1, tooBig));
    }

    static Arbitrary<String> contentType() {
        return Arbitraries.of(
                "application/json",
                "application/json; charset=utf-8",
                "application/json; charset=x-no-such-charset",
                "application/json; charset=\"!!\"",
                "application/json; charset=UTF-7",
                "text/plain",
                "multipart/form-data",
                "multipart/form-data; boundary=",
                "application/x-www-form-urlencoded",
                "application/cloudevents+json",
                "application/cloudevents-batch+json",
                "",
                ";;;",
                "application/json\u0001");
    }

    static final List<String> QUERY_NAMES =
            List.of(
                    "service",
                    "status",
                    "from",
                    "to",
                    "limit",
                    "offset",
                    "version",
                    "force",
                    "level",
                    "eventType",
                    "effective",
                    "triggerEventId",
                    "rootEventId",
                    "causationId",
                    "q",
                    "after",
                    "size");

    static Arbitrary<String> query() {
        Arbitrary<String> name =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, Arbitraries.of(QUERY_NAMES)),
                        net.jqwik.api.Tuple.of(1, hostileText()));
        Arbitrary<String> pair =
                Combinators.combine(name, hostileText()).as((k, v) -> encode(k) + "=" + encode(v));
        Arbitrary<String> rawBad =
                Arbitraries.of("a=%zz", "=%", "%00=1", "a=%C0%80", "a=%ED%A0%80", "&&&", "a");
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, pair), net.jqwik.api.Tuple.of(1, rawBad))
                .list()
                .ofMinSize(0)
                .ofMaxSize(4)
                .map(ps -> ps.isEmpty() ? "" : "?" + String.join("&", ps));
    }

    static Arbitrary<String> pathValue() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, hostileText().map(HttpFuzzITCase::encode)),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.of(
                                "%zz",
                                "%C0%80",
                                "%ED%A0%80",
                                "..%2F..",
                                "%2e%2e",
                                "a%2Fb",
                                "%00",
                                "%0d%0a",
                                ";x=1")));
    }

    /** One request against a route: method, filled path, query, headers, body. */
    record Case(
            String route, String method, String target, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return route + " <- " + describe(this);
        }
    }

    @Provide
    Arbitrary<Case> requests() {
        return Arbitraries.integers()
                .between(0, routes.size() - 1)
                .flatMap(i -> cases(routes.get(i)[0], routes.get(i)[1]));
    }

    static Arbitrary<Case> cases(String method, String template) {
        Matcher m = PARAM.matcher(template);
        List<String> params = new ArrayList<>();
        while (m.find()) {
            params.add(m.group(1));
        }
        Arbitrary<List<String>> values = pathValue().list().ofSize(params.size());
        Arbitrary<String> meth =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, Arbitraries.just(method)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.of(METHODS)));
        Arbitrary<Boolean> withBody = Arbitraries.of(true, true, true, false);
        Arbitrary<Map<String, String>> headers =
                Combinators.combine(
                                contentType(), Arbitraries.integers().between(0, 9), hostileText())
                        .as(
                                (ct, extra, hv) -> {
                                    Map<String, String> h = new LinkedHashMap<>();
                                    h.put("Authorization", "Bearer " + admin);
                                    if (!ct.isEmpty()) {
                                        h.put("Content-Type", ct);
                                    }
                                    switch (extra) {
                                        case 0 -> h.put("Content-Length", "1000000000000");
                                        case 1 -> h.put("X-Fuzz", headerSafe(hv));
                                        case 2 -> h.put("Accept", "text/html");
                                        case 3 -> h.put("Content-Length", "-1");
                                        case 4 ->
                                                h.put("Authorization", "Bearer " + headerSafe(hv));
                                        default -> {}
                                    }
                                    return h;
                                });
        return Combinators.combine(meth, values, query(), headers, withBody, body())
                .as(
                        (me, vs, q, h, wb, b) -> {
                            String path = template;
                            for (int i = 0; i < params.size(); i++) {
                                String v = vs.get(i);
                                path =
                                        path.replace(
                                                "{" + params.get(i) + "}", v.isEmpty() ? "x" : v);
                            }
                            byte[] bytes = wb ? b : null;
                            if ("1000000000000".equals(h.get("Content-Length"))
                                    || "-1".equals(h.get("Content-Length"))) {
                                bytes = bytes == null ? new byte[0] : bytes;
                            }
                            return new Case(method + " " + template, me, path + q, h, bytes);
                        });
    }

    // ---- the property --------------------------------------------------------------------------

    @Property(seed = "19", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void noRouteAnswersAHostileRequestWithA5xxOrAnUnshapedError(@ForAll("requests") Case c) {
        RawHttp.Answer a = raw.send(c.method(), c.target(), c.headers(), c.body());
        OUTCOMES.computeIfAbsent(c.route(), k -> new ConcurrentHashMap<>())
                .merge(a.status(), 1, Integer::sum);
        String template = c.route().substring(c.route().indexOf(' ') + 1);
        assertThat(problem(template, c, a)).as("%s -> %s", c, a).isNull();
        // the manager stays healthy and still does ordinary work
        assertThat(api.get(null, "/health").status()).as("/health after %s", c).isEqualTo(200);
        TestApi.Res ordinary = api.get(admin, "/api/v1/links/lnk");
        assertThat(ordinary.status())
                .as("GET /api/v1/links/lnk after %s: %s", c, ordinary)
                .isEqualTo(200);
    }

    /** What is wrong with an answer, or null. */
    static String problem(String template, Case c, RawHttp.Answer a) {
        if (a.status() < 100) {
            return "no HTTP answer";
        }
        boolean jobsWithoutFlink = template.startsWith("/api/v1/jobs") && a.status() == 503;
        if (a.status() >= 500 && !jobsWithoutFlink) {
            return "5xx";
        }
        if (a.bytesRead() > (5 << 20)) {
            return "answer of " + a.bytesRead() + " bytes";
        }
        if (a.status() >= 400 && !c.method().equals("HEAD")) {
            String ct = a.headers().getOrDefault("content-type", "");
            if (!ct.contains("application/json")) {
                return "error without JSON content type (" + ct + ")";
            }
            JsonNode n = a.json();
            if (n == null || !n.has("status") || !n.has("code") || !n.has("message")) {
                return "error body not {status, code, message}";
            }
            if (n.get("status").asInt() != a.status()) {
                return "error body status " + n.get("status") + " != " + a.status();
            }
            if (n.get("message").asText().length() > 600 || a.body().length > 2048) {
                return "error message not bounded (" + a.body().length + " bytes)";
            }
        }
        return null;
    }

    static String describe(Case c) {
        String b =
                c.body() == null
                        ? "no body"
                        : c.body().length
                                + " bytes "
                                + clip(new String(c.body(), StandardCharsets.UTF_8));
        return c.method()
                + " "
                + clip(c.target())
                + " "
                + c.headers().getOrDefault("Content-Type", "-")
                + " "
                + b;
    }

    static String clip(String s) {
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() > 120 ? t.substring(0, 120) + "…(" + t.length() + ")" : t;
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20 || Character.isSurrogate(ch)) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    /** Percent-encodes UTF-8 (an unpaired surrogate becomes '?', as Java encodes it). */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    /** Header values cannot carry CR/LF on the wire (that would be a second header): drop them. */
    static String headerSafe(String s) {
        String t = s.replace('\r', ' ').replace('\n', ' ');
        StringBuilder sb = new StringBuilder();
        for (char ch : t.toCharArray()) {
            sb.append(ch > 0xff ? '?' : ch);
        }
        return sb.toString();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
