package io.fxflink.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.cli.FxCliRunner;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.testsupport.RealServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's path, through public interfaces only: start the platform, deploy the example
 * services with the CLI, run the chain, read logs and SQL, re-link to a new version, stop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformE2E {
    @RegisterExtension static final RealServers SERVERS = RealServers.all();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = ProjectRoot.find().resolve("examples/orders");

    private static LocalPlatform platform;
    private static FxCliRunner fx;

    @BeforeAll
    static void up() throws Exception {
        RealServers.PgDatabase db = SERVERS.newDatabase("e2e");
        platform = LocalPlatform.start(SERVERS.endpoints(), db.url());
        fx = new FxCliRunner(platform.cliEnv(), ProjectRoot.find());
    }

    @AfterAll
    static void down() throws Exception {
        if (platform == null) {
            return;
        }
        platform.stopLeavingNoProcess();
    }

    @Test
    @Order(1)
    void statusReportsEveryComponentUp() throws Exception {
        FxCliRunner.Result r = fx.run("status", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode status = JSON.readTree(r.out());
        assertThat(status.path("platform").asText()).isEqualTo("running");
        assertThat(status.path("components").path("manager").asText()).isEqualTo("up");
        assertThat(status.path("components").path("executor").asText()).isEqualTo("up");
        assertThat(status.path("components").path("flink").asText()).isEqualTo("up");
        assertThat(platform.output()).contains("admin token");
    }

    @Test
    @Order(2)
    void theExampleChainRunsFromAnUploadedFileToParsedOrders() throws Exception {
        for (Path service :
                List.of(
                        EXAMPLES.resolve("upload"),
                        EXAMPLES.resolve("ingest"),
                        EXAMPLES.resolve("daily-report"),
                        EXAMPLES.resolve("jvm/target/services/orders-store"),
                        EXAMPLES.resolve("jvm/target/services/orders-refresh-view"))) {
            FxCliRunner.Result deployed = fx.run("deploy", service.toString());
            assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        }
        // ingest's manifest lists orders.file.uploaded: its default link exists already
        JsonNode links = JSON.readTree(fx.run("links", "--output", "json").out());
        assertThat(links.toString()).contains("orders.file.uploaded").contains("orders-ingest");

        String root = runUpload("csv=order_id,customer,amount;1,alice,10.5;2,bob,3;x,,");

        // the whole chain of this run: upload → ingest → the JVM half (rows into PostgreSQL,
        // then the view refresh), every execution of it SUCCEEDED, found by its root event
        Map<String, JsonNode> chain =
                awaitChain(
                        root,
                        List.of(
                                "orders-upload",
                                "orders-ingest",
                                "orders-store",
                                "orders-refresh-view"));
        JsonNode ingest = chain.get("orders-ingest");
        assertThat(ingest.path("serviceVersion").asText()).isEqualTo("1.0.0");
        String executionId = ingest.path("executionId").asText();
        await("ingest logs searchable")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () ->
                                assertThat(fx.run("logs", executionId).out())
                                        .contains("parsed 2 orders"));

        // the ops sink's per-minute rollups count the chain's successes too (the second table
        // the ops SQL reads); the executions rows themselves were read through SQL above
        await("per-minute rollups visible through SQL")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () ->
                                assertThat(
                                                sqlRows(
                                                        "select service, sum(succeeded) as n from"
                                                                + " execution_rollups_minute where"
                                                                + " service like 'orders-%' group by"
                                                                + " service"))
                                        .extracting(r -> r.get(0))
                                        .contains(
                                                "orders-upload",
                                                "orders-ingest",
                                                "orders-store",
                                                "orders-refresh-view"));
    }

    @Test
    @Order(3)
    void aNewVersionTakesNewEventsAfterRelinking(@TempDir Path tmp) throws Exception {
        Path v2 = tmp.resolve("ingest");
        Files.createDirectories(v2);
        Files.writeString(
                v2.resolve("main.py"), Files.readString(EXAMPLES.resolve("ingest/main.py")));
        Files.writeString(
                v2.resolve("manifest.json"),
                Files.readString(EXAMPLES.resolve("ingest/manifest.json"))
                        .replace("\"1.0.0\"", "\"1.1.0\""));
        assertThat(fx.run("deploy", v2.toString()).exitCode()).isZero();

        String root = runUpload("csv=order_id,customer,amount;7,carol,1");
        // the event emitted by this run (after the new version) reached 1.1.0, not 1.0.0
        JsonNode ingest = awaitChain(root, List.of("orders-ingest")).get("orders-ingest");
        assertThat(ingest.path("serviceVersion").asText()).as(ingest.toString()).isEqualTo("1.1.0");
    }

    /** Runs orders-upload, waits for it to succeed, and returns its root event id. */
    private static String runUpload(String csv) throws Exception {
        FxCliRunner.Result run =
                fx.run(
                        "--output",
                        "json",
                        "run",
                        "orders-upload",
                        "-p",
                        csv,
                        "--wait",
                        "--timeout",
                        "240");
        assertThat(run.exitCode()).as(run + "\n" + failures("orders-upload")).isZero();
        String root = JSON.readTree(run.out()).path("rootEventId").asText();
        assertThat(root).as(run.toString()).isNotBlank();
        return root;
    }

    /**
     * Waits until each of {@code services} has a SUCCEEDED execution in the chain of {@code root},
     * read through ops SQL; returns them by service (service, version, id, status).
     */
    private static Map<String, JsonNode> awaitChain(String root, List<String> services) {
        Map<String, JsonNode> found = new HashMap<>();
        await("the chain of " + root + ": " + services)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            found.clear();
                            for (List<String> r :
                                    sqlRows(
                                            "select service, service_version, execution_id,"
                                                    + " status from executions where"
                                                    + " root_event_id = '"
                                                    + root.replace("'", "''")
                                                    + "'")) {
                                if (r.get(3).equals("SUCCEEDED")) {
                                    ObjectNode e = JSON.createObjectNode();
                                    e.put("service", r.get(0));
                                    e.put("serviceVersion", r.get(1));
                                    e.put("executionId", r.get(2));
                                    e.put("status", r.get(3));
                                    found.put(r.get(0), e);
                                }
                            }
                            assertThat(found.keySet()).containsAll(services);
                        });
        return found;
    }

    /** The rows of an ops SQL query, each as its column values in order, as text. */
    private static List<List<String>> sqlRows(String query) throws Exception {
        FxCliRunner.Result r = fx.run("--output", "json", "sql", query);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : JSON.readTree(r.out())) {
            List<String> values = new ArrayList<>();
            row.elements().forEachRemaining(v -> values.add(v.asText()));
            rows.add(values);
        }
        return rows;
    }

    /** What went wrong, for the assertion message: the service's executions with their errors. */
    private static String failures(String service) {
        try {
            return "executions of " + service + ": " + executions(service);
        } catch (Exception | AssertionError e) {
            return "(executions of " + service + " unavailable: " + e + ")";
        }
    }

    private static JsonNode executions(String service) throws Exception {
        FxCliRunner.Result r = fx.run("executions", "--service", service, "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return JSON.readTree(r.out());
    }
}
