package io.fxflink.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A package in the real S3 runs as a Python service from a request on a real executions topic; its
 * event, log and lifecycle records arrive on the real topics; the outcome is in PostgreSQL.
 */
class ExecutorEndToEndITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.KAFKA, ServerKind.POSTGRES, ServerKind.S3);

    static ExecutorTestKit kit;
    static TopicNames topics;
    static RealServers.PgDatabase db;
    static ExecutorApp app;

    @BeforeAll
    static void start() throws Exception {
        kit = new ExecutorTestKit(SERVERS);
        topics = kit.topics;
        db = kit.db;
        app = new ExecutorApp(ExecutorOptions.fromEnvironment(kit.env())).start(kit.env());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kit != null) {
            kit.close();
        }
    }

    static PackageRef upload(Map<String, String> files) throws Exception {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((name, text) -> bytes.put(name, ExecutorTestKit.utf8(text)));
        return kit.upload(bytes);
    }

    static ExecutionRequest request(String service, PackageRef ref, int retries, String data) {
        return ExecutorTestKit.request(service, ServiceRuntime.PYTHON, ref, retries, data);
    }

    static void send(ExecutionRequest r) throws Exception {
        kit.send(r);
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        return kit.readAll(topic, atLeast);
    }

    static List<ExecutionLifecycleRecord> lifecycle(String executionId, ExecutionStatus last) {
        return kit.lifecycle(executionId, last);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return ExecutorTestKit.header(r, name);
    }

    @Test
    void aPythonPackageRunsFromARequestAndItsEventsLogsAndLifecycleArrive() throws Exception {
        PackageRef ref =
                upload(
                        Map.of(
                                "manifest.json",
                                "{\"name\": \"orders\", \"version\": \"1.0.0\", \"execution_order\":"
                                        + " [\"a.py\", \"b.py\"]}",
                                "a.py",
                                "from fx_ef import context\nprint('step a sees', context.params['n'])\n",
                                "b.py",
                                "from fx_ef import context\n"
                                        + "context.events.send('order.done', {'n': context.params['n'] + 1})\n"));
        ExecutionRequest req = request("orders", ref, 0, "{\"n\": 41}");
        send(req);

        List<ExecutionLifecycleRecord> states =
                lifecycle(req.executionId(), ExecutionStatus.SUCCEEDED);
        assertThat(states)
                .extracting(ExecutionLifecycleRecord::status)
                .containsExactlyInAnyOrder(
                        ExecutionStatus.QUEUED, ExecutionStatus.STARTED, ExecutionStatus.SUCCEEDED);

        // the outcome is recorded only after its events were acknowledged: all of them are there
        var events = kit.readToEnd(topics.events());
        var emitted =
                events.stream()
                        .filter(r -> req.executionId().equals(header(r, "ce_fxexecutionid")))
                        .toList();
        assertThat(emitted).hasSize(1);
        var e = emitted.get(0);
        assertThat(header(e, "ce_type")).isEqualTo("order.done");
        assertThat(header(e, "ce_fxcausationid")).isEqualTo(req.triggerEvent().id());
        assertThat(header(e, "ce_fxdepth")).isEqualTo("3");
        assertThat(new String(e.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":42}");

        var logs = readAll(topics.opsLogs(), 1);
        assertThat(logs)
                .map(r -> Codecs.OPS_LOG.decode(r.value()))
                .anyMatch(
                        l ->
                                l.executionId().equals(req.executionId())
                                        && l.step().equals("a.py")
                                        && l.message().equals("step a sees 41"));

        // the same request again (a router replay) is recognised and not run a second time
        send(req);
        try (Connection c = db.connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT status, attempt FROM executor_completed_executions"
                                                + " WHERE execution_id = '"
                                                + req.executionId()
                                                + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> app.inFlightForTests() == 0 && app.duplicatesForTests() >= 1);
        // read to the end offsets now: no second run's event, no second STARTED
        assertThat(
                        kit.readToEnd(topics.events()).stream()
                                .filter(
                                        r ->
                                                req.executionId()
                                                        .equals(header(r, "ce_fxexecutionid")))
                                .count())
                .isEqualTo(1);
        assertThat(
                        kit.readToEnd(topics.opsExecutions()).stream()
                                .map(r -> Codecs.EXECUTION_LIFECYCLE.decode(r.value()))
                                .filter(r -> r.executionId().equals(req.executionId()))
                                .map(ExecutionLifecycleRecord::status))
                .as("lifecycle of %s after the replay", req.executionId())
                .containsExactlyInAnyOrder(
                        ExecutionStatus.QUEUED, ExecutionStatus.STARTED, ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aFailingServiceIsRetriedThenDeadAndDeadLettered() throws Exception {
        PackageRef ref =
                upload(
                        Map.of(
                                "manifest.json",
                                "{\"name\": \"exits\"}",
                                "main.py",
                                "import sys\nsys.exit(3)\n"));
        ExecutionRequest req = request("exits", ref, 1, "{}");
        send(req);
        List<ExecutionLifecycleRecord> states = lifecycle(req.executionId(), ExecutionStatus.DEAD);
        assertThat(states)
                .filteredOn(s -> s.status() == ExecutionStatus.FAILED)
                .extracting(ExecutionLifecycleRecord::attempt)
                .containsExactlyInAnyOrder(1, 2);
        assertThat(states).anyMatch(s -> s.status() == ExecutionStatus.RETRYING);
        assertThat(states)
                .filteredOn(s -> s.status() == ExecutionStatus.DEAD)
                .singleElement()
                .satisfies(s -> assertThat(s.error()).contains("sys.exit(3)"));
        // once the execution is done with (its dead letter acknowledged), the topic read to its
        // end offsets holds exactly one dead letter for it
        await().atMost(Duration.ofSeconds(30)).until(() -> app.inFlightForTests() == 0);
        assertThat(kit.readToEnd(topics.deadLetter()))
                .map(r -> Codecs.DEAD_LETTER.decode(r.value()))
                .filteredOn(d -> d.reason().contains(req.executionId()))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("sys.exit(3)"));
    }

    @Test
    void aHostilePackageEndsInAClearDeadExecution() throws Exception {
        PackageRef ref =
                upload(
                        Map.of(
                                "manifest.json",
                                "{\"name\": \"evil\"}",
                                "../../escape.py",
                                "print(1)\n"));
        ExecutionRequest req = request("evil", ref, 3, "{}");
        send(req);
        List<ExecutionLifecycleRecord> states = lifecycle(req.executionId(), ExecutionStatus.DEAD);
        // not retried: retrying cannot make a hostile package safe
        assertThat(states).noneMatch(s -> s.status() == ExecutionStatus.RETRYING);
        assertThat(states)
                .filteredOn(s -> s.status() == ExecutionStatus.DEAD)
                .singleElement()
                .satisfies(s -> assertThat(s.error()).contains("zip slip"));
    }
}
