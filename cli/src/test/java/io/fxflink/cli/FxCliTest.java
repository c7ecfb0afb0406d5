package io.fxflink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
 * The CLI against a stand-in manager (a JDK HTTP server): what it sends, how it prints, and the
 * exit codes scripts rely on. The stand-in answers with the real manager's response shapes, kept as
 * files under {@code src/test/resources/manager-responses} (see the README there); requests it was
 * given no answer for get a 404 error body, never a shape the manager does not send. The real
 * manager is exercised by the E2E tests.
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
                    String answer = answers.get(key);
                    int code = status.getOrDefault(key, answer == null ? 404 : 200);
                    if (answer == null) {
                        answer = response("error-404.json");
                    }
                    byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(code, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                });
        manager.start();
    }

    @AfterEach
    void stop() {
        manager.stop(0);
    }

    /** A recorded manager answer from {@code src/test/resources/manager-responses}. */
    static String response(String file) {
        try (InputStream in = FxCliTest.class.getResourceAsStream("/manager-responses/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no manager response file " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(String request, int code, String file) {
        status.put(request, code);
        answers.put(request, response(file));
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
        answer("GET /api/v1/services", 200, "get-services.json");
        assertThat(fx("services")).isZero();
        assertThat(requests).containsExactly("GET /api/v1/services auth=Bearer t0k");
        assertThat(out.toString().lines())
                .containsExactly(
                        "name    project  defaultVersion  active",
                        "ingest  default  1.0.0           true");
    }

    @Test
    void outputJsonPrintsWhatTheManagerAnswered() throws IOException {
        answer("GET /api/v1/links", 200, "get-links.json");
        assertThat(fx("links", "--output", "json")).isZero();
        assertThat(ManagerClient.JSON.readTree(out.toString()))
                .isEqualTo(ManagerClient.JSON.readTree(response("get-links.json")));
        out.reset();
        assertThat(fx("links")).isZero();
        assertThat(out.toString().lines())
                .hasSize(2)
                .last()
                .asString()
                .startsWith("l1  a.b")
                .contains("EXACT", "ingest", "1.0.0", "true");
    }

    @Test
    void exitCodesTellWhatWentWrong() {
        answer("GET /api/v1/executions", 401, "error-401.json");
        assertThat(fx("executions")).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(err.toString()).contains("invalid or revoked token");

        answer("DELETE /api/v1/links/nope", 404, "error-404.json");
        assertThat(fx("unlink", "nope")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err.toString()).contains("link 'nope' not found");

        answer("POST /api/v1/links", 400, "error-400.json");
        assertThat(fx("link", "a.b", "svc", "--filter", "nonsense(")).isEqualTo(ExitCodes.REJECTED);
        assertThat(err.toString())
                .contains("field 'filter': filter is not a valid CloudEvents SQL expression");
    }

    @Test
    void statusShowsTheManagersHealthOfEveryComponentWithItsReason() throws IOException {
        answer("GET /health", 200, "get-health-flink-down.json");
        assertThat(fx("status")).isZero();
        assertThat(out.toString().lines())
                .containsSubsequence(
                        "processes",
                        "  manager       up",
                        "health    DEGRADED",
                        "  postgresql    UP",
                        "  kafka         UP",
                        "  flink         DOWN      no TaskManager registered; fx-router is"
                                + " RESTARTING; fx-ops-sink is RESTARTING",
                        "  executor      UP        lag 0 on fx.executions (group fx-executor, 1"
                                + " member(s))");
        out.reset();
        assertThat(fx("status", "--output", "json")).isZero();
        assertThat(ManagerClient.JSON.readTree(out.toString()).get("health"))
                .isEqualTo(ManagerClient.JSON.readTree(response("get-health-flink-down.json")));
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
        answer("POST /api/v1/links", 201, "post-links-201.json");
        assertThat(fx("link", "file.*", "ingest", "--weights", "1.0.0=90,1.1.0=10")).isZero();
        assertThat(out.toString()).contains("(link l9)");
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

        answer("POST /api/v1/services", 201, "post-services-201.json");
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
        answer("GET /api/v1/jobs", 200, "get-jobs.json");
        assertThat(fx(Map.of(), "jobs")).isZero();
        assertThat(requests).containsExactly("GET /api/v1/jobs auth=Bearer local-token");
        // FX_TOKEN wins over the local file
        out.reset();
        assertThat(fx(Map.of("FX_TOKEN", "other"), "token")).isZero();
        assertThat(out.toString().trim()).isEqualTo("other");
    }

    @Test
    void sqlResultsPrintAsATable() {
        answer("POST /api/v1/ops/sql", 200, "post-ops-sql.json");
        assertThat(fx("sql", "select service, count(*) n from executions group by 1")).isZero();
        assertThat(out.toString().lines()).containsExactly("service  n", "ingest   3");
        assertThat(bodies.get("POST /api/v1/ops/sql")).contains("select service");
    }
}
