package io.fxflink.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.cli.FxCliRunner;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.testsupport.RealServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

        FxCliRunner.Result run =
                fx.run(
                        "run",
                        "orders-upload",
                        "-p",
                        "csv=order_id,customer,amount;1,alice,10.5;2,bob,3;x,,",
                        "--wait",
                        "--timeout",
                        "240");
        assertThat(run.exitCode()).as(run + "\n" + failures("orders-upload")).isZero();

        JsonNode ingest = awaitExecution("orders-ingest", "SUCCEEDED");
        // the JVM half of the chain: rows into PostgreSQL, then the view refresh
        awaitExecution("orders-store", "SUCCEEDED");
        awaitExecution("orders-refresh-view", "SUCCEEDED");
        String executionId = ingest.path("executionId").asText();
        await("ingest logs searchable")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () ->
                                assertThat(fx.run("logs", executionId).out())
                                        .contains("parsed 2 orders"));

        await("rows visible through SQL")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                        () -> {
                            FxCliRunner.Result sql =
                                    fx.run(
                                            "sql",
                                            "select service, status from executions where status = 'SUCCEEDED' order by service");
                            assertThat(sql.exitCode()).as(sql.toString()).isZero();
                            assertThat(sql.out())
                                    .contains("orders-upload")
                                    .contains("orders-ingest");
                        });
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

        FxCliRunner.Result run =
                fx.run(
                        "run",
                        "orders-upload",
                        "-p",
                        "csv=order_id,customer,amount;7,carol,1",
                        "--wait",
                        "--timeout",
                        "240");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        await("an ingest execution of 1.1.0")
                .atMost(Duration.ofMinutes(3))
                .untilAsserted(
                        () -> assertThat(executions("orders-ingest").toString()).contains("1.1.0"));
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

    private static JsonNode awaitExecution(String service, String status) {
        JsonNode[] found = new JsonNode[1];
        await(service + " " + status)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            for (JsonNode e : executions(service)) {
                                if (e.path("status").asText().equals(status)) {
                                    found[0] = e;
                                    return;
                                }
                            }
                            throw new AssertionError(
                                    "no "
                                            + status
                                            + " execution of "
                                            + service
                                            + " yet: "
                                            + executions(service));
                        });
        return found[0];
    }
}
