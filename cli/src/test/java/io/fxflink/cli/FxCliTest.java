package io.fxflink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a stand-in manager (a JDK HTTP server answering canned JSON): what it sends, how
 * it prints, and the exit codes scripts rely on. The real manager is exercised by the E2E tests.
 */
class FxCliTest {
    @TempDir Path root;

    private HttpServer manager;
    private final List<String> requests = new ArrayList<>();
    private final Map<String, String> bodies = new HashMap<>();
    private final Map<String, Integer> status = new HashMap<>();
    private final Map<String, String> answers = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startStandInManager() throws IOException {
        manager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        manager.createContext(
                "/",
                ex -> {
                    String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
                    requests.add(key + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
                    bodies.put(
                            key,
                            new String(
                                    ex.getRequestBody().readAllBytes(),
                                    StandardCharsets.ISO_8859_1));
                    byte[] body = answers.getOrDefault(key, "{}").getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(status.getOrDefault(key, 200), body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                });
        manager.start();
    }

    @AfterEach
    void stop() {
        manager.stop(0);
    }

    private int fx(Map<String, String> env, String... args) {
        return FxCli.run(
                args,
                env,
                root,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int fx(String... args) {
        return fx(
                Map.of(
                        "FX_URL",
                        "http://127.0.0.1:" + manager.getAddress().getPort(),
                        "FX_TOKEN",
                        "t0k"),
                args);
    }

    @Test
    void sendsTheTokenAndPrintsAListAsATable() {
        answers.put(
                "GET /api/v1/services",
                "[{\"name\":\"ingest\",\"defaultVersion\":\"1.0.0\",\"active\":true}]");
        assertThat(fx("services")).isZero();
        assertThat(requests).containsExactly("GET /api/v1/services auth=Bearer t0k");
        assertThat(out.toString()).contains("name").contains("ingest").contains("1.0.0");
    }

    @Test
    void outputJsonPrintsWhatTheManagerAnswered() {
        answers.put("GET /api/v1/links", "{\"items\":[{\"id\":\"l1\",\"eventType\":\"a.b\"}]}");
        assertThat(fx("links", "--output", "json")).isZero();
        assertThat(out.toString()).contains("\"id\" : \"l1\"");
    }

    @Test
    void exitCodesTellWhatWentWrong() {
        status.put("GET /api/v1/executions", 401);
        answers.put("GET /api/v1/executions", "{\"message\":\"invalid token\"}");
        assertThat(fx("executions")).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(err.toString()).contains("invalid token");

        status.put("DELETE /api/v1/links/nope", 404);
        assertThat(fx("unlink", "nope")).isEqualTo(ExitCodes.NOT_FOUND);

        status.put("POST /api/v1/links", 400);
        answers.put("POST /api/v1/links", "{\"message\":\"filter is not valid CESQL\"}");
        assertThat(fx("link", "a.b", "svc", "--filter", "nonsense(")).isEqualTo(ExitCodes.REJECTED);
        assertThat(err.toString()).contains("filter is not valid CESQL");
    }

    @Test
    void anUnreachableManagerSaysHowToStartIt() {
        int code = fx(Map.of("FX_URL", "http://127.0.0.1:1"), "services");
        assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(err.toString()).contains("./fx up");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(fx("link", "a.b", "svc", "--weights", "1.0=ninety")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("whole number");
        assertThat(fx("send", "a.b", "--data", "{not json")).isEqualTo(ExitCodes.USAGE);
        assertThat(fx("no-such-command")).isEqualTo(ExitCodes.USAGE);
        assertThat(requests).isEmpty();
    }

    @Test
    void linkWithAPrefixAndCanaryWeights() {
        answers.put("POST /api/v1/links", "{\"id\":\"l9\"}");
        assertThat(fx("link", "file.*", "ingest", "--weights", "1.0.0=90,1.1.0=10")).isZero();
        String body = bodies.get("POST /api/v1/links");
        assertThat(body).contains("\"eventType\":\"file.\"").contains("\"match\":\"PREFIX\"");
        assertThat(body)
                .contains("{\"version\":\"1.0.0\",\"weight\":90}")
                .contains("{\"version\":\"1.1.0\",\"weight\":10}");
    }

    @Test
    void deployPacksTheFolderWithoutCaches() throws IOException {
        Path svc = root.resolve("svc");
        Files.createDirectories(svc.resolve("__pycache__"));
        Files.writeString(svc.resolve("manifest.json"), "{\"name\":\"svc\",\"version\":\"1.0.0\"}");
        Files.writeString(svc.resolve("main.py"), "print('hi')");
        Files.writeString(svc.resolve("__pycache__/main.cpython-311.pyc"), "x");
        byte[] zip = PackageZipper.pack(svc);
        List<String> names = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly("main.py", "manifest.json");
        assertThat(PackageZipper.pack(svc)).as("same folder, same bytes").isEqualTo(zip);

        answers.put("POST /api/v1/services", "{\"name\":\"svc\",\"version\":\"1.0.0\"}");
        assertThat(fx("deploy", svc.toString())).isZero();
        assertThat(out.toString()).contains("deployed svc version 1.0.0");
        assertThat(bodies.get("POST /api/v1/services")).contains("name=\"package\"");
    }

    @Test
    void deployOfAFolderWithoutManifestIsAUsageError() throws IOException {
        Files.createDirectories(root.resolve("empty"));
        assertThat(fx("deploy", root.resolve("empty").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("no manifest.json");
    }

    @Test
    void theLocalPlatformsUrlAndTokenAreUsedWithoutFlags() throws IOException {
        Path home = root.resolve(".stack/local");
        Files.createDirectories(home);
        Files.writeString(
                home.resolve("cli.properties"),
                "url=http://127.0.0.1:" + manager.getAddress().getPort() + "\ntoken=local-token\n");
        assertThat(fx(Map.of(), "token")).isZero();
        assertThat(out.toString().trim()).isEqualTo("local-token");
        assertThat(fx(Map.of(), "jobs")).isZero();
        assertThat(requests).containsExactly("GET /api/v1/jobs auth=Bearer local-token");
        // FX_TOKEN wins over the local file
        out.reset();
        assertThat(fx(Map.of("FX_TOKEN", "other"), "token")).isZero();
        assertThat(out.toString().trim()).isEqualTo("other");
    }

    @Test
    void sqlResultsPrintAsATable() {
        answers.put(
                "POST /api/v1/ops/sql",
                "{\"columns\":[\"service\",\"n\"],\"rows\":[[\"ingest\",3]]}");
        assertThat(fx("sql", "select service, count(*) n from executions group by 1")).isZero();
        assertThat(out.toString()).contains("service  n").contains("ingest   3");
        assertThat(bodies.get("POST /api/v1/ops/sql")).contains("select service");
    }
}
