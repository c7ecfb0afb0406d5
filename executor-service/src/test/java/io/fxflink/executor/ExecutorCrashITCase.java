package io.fxflink.executor;

import static io.fxflink.executor.ExecutorTestKit.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.serde.Codecs;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The executor as a real child JVM ({@link ExecutorMain}) is killed with SIGKILL while services
 * run; a second one takes over. Every execution ends SUCCEEDED exactly once, the one that was in
 * flight runs again as attempt 2, and the ones completed before the crash are not run again.
 */
class ExecutorCrashITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.KAFKA, ServerKind.POSTGRES, ServerKind.S3);

    static ExecutorTestKit kit;
    static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        kit = new ExecutorTestKit(SERVERS);
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (kit != null) {
            kit.close();
        }
    }

    static Process startExecutor(String id) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Path.of("target", "crash-" + id + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb =
                new ProcessBuilder(java, "-Xmx256m", "-cp", cp, ExecutorMain.class.getName());
        pb.environment().putAll(kit.env());
        pb.environment().put("FX_EXECUTOR_ID", id);
        pb.environment().put("FX_KAFKA_SESSION_TIMEOUT_MS", "6000");
        pb.environment()
                .put(
                        "FX_EXECUTOR_WORK_DIR",
                        Files.createTempDirectory("fx-crash-" + id).toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    Map<String, List<ExecutionLifecycleRecord>> lifecycleByExecution(Set<String> ids) {
        return kit.readToEnd(kit.topics.opsExecutions()).stream()
                .map(r -> Codecs.EXECUTION_LIFECYCLE.decode(r.value()))
                .filter(r -> ids.contains(r.executionId()))
                .collect(Collectors.groupingBy(ExecutionLifecycleRecord::executionId));
    }

    static boolean has(List<ExecutionLifecycleRecord> states, ExecutionStatus s) {
        return states != null && states.stream().anyMatch(r -> r.status() == s);
    }

    @Test
    void aKilledExecutorsWorkIsFinishedExactlyOnceByTheNextOne() throws Exception {
        PackageRef ref =
                kit.upload(
                        Map.of(
                                "manifest.json",
                                utf8("{\"name\": \"slow\", \"version\": \"1.0.0\"}"),
                                "main.py",
                                utf8(
                                        "import time\nfrom fx_ef import context\n"
                                                + "time.sleep(2)\n"
                                                + "context.events.send('slow.done',"
                                                + " context.params)\n")));
        List<ExecutionRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(
                    ExecutorTestKit.request(
                            "slow", ServiceRuntime.PYTHON, ref, 0, "{\"i\": " + i + "}"));
        }
        Set<String> ids =
                requests.stream().map(ExecutionRequest::executionId).collect(Collectors.toSet());
        Process first = startExecutor("crash-1");
        for (ExecutionRequest r : requests) {
            kit.send(r);
        }

        // kill -9 once some executions completed and others are running
        Map<String, List<ExecutionLifecycleRecord>> atKill =
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> lifecycleByExecution(ids),
                                m ->
                                        m.values().stream()
                                                        .anyMatch(
                                                                s ->
                                                                        has(
                                                                                s,
                                                                                ExecutionStatus
                                                                                        .SUCCEEDED))
                                                && m.values().stream()
                                                        .anyMatch(
                                                                s ->
                                                                        has(
                                                                                        s,
                                                                                        ExecutionStatus
                                                                                                .STARTED)
                                                                                && !has(
                                                                                        s,
                                                                                        ExecutionStatus
                                                                                                .SUCCEEDED)));
        List<ProcessHandle> workers = first.descendants().toList();
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no offset commit, no cleanup
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        workers.forEach(ProcessHandle::destroyForcibly);
        Set<String> doneBeforeKill =
                atKill.entrySet().stream()
                        .filter(e -> has(e.getValue(), ExecutionStatus.SUCCEEDED))
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet());
        Set<String> inFlightAtKill =
                atKill.entrySet().stream()
                        .filter(
                                e ->
                                        has(e.getValue(), ExecutionStatus.STARTED)
                                                && !has(e.getValue(), ExecutionStatus.SUCCEEDED))
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet());

        Process second = startExecutor("crash-2");
        Map<String, List<ExecutionLifecycleRecord>> end =
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> lifecycleByExecution(ids),
                                m ->
                                        m.size() == ids.size()
                                                && m.values().stream()
                                                        .allMatch(
                                                                s ->
                                                                        has(
                                                                                s,
                                                                                ExecutionStatus
                                                                                        .SUCCEEDED)));
        second.destroy(); // SIGTERM: graceful stop through the shutdown hook
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // the state of the stream is read once more after the graceful stop: nothing late
        end = lifecycleByExecution(ids);
        for (String id : ids) {
            List<ExecutionLifecycleRecord> states = end.get(id);
            assertThat(states)
                    .as("execution %s: %s", id, states)
                    .filteredOn(s -> s.status() == ExecutionStatus.SUCCEEDED)
                    .hasSize(1);
            assertThat(states).noneMatch(s -> s.status() == ExecutionStatus.DEAD);
        }
        for (String id : doneBeforeKill) {
            assertThat(end.get(id))
                    .as("completed before the crash, not run again: %s", id)
                    .filteredOn(s -> s.status() == ExecutionStatus.STARTED)
                    .hasSize(1);
        }
        assertThat(inFlightAtKill).isNotEmpty();
        for (String id : inFlightAtKill) {
            assertThat(end.get(id))
                    .as("in flight at the crash, re-run as attempt 2: %s", id)
                    .filteredOn(s -> s.status() == ExecutionStatus.SUCCEEDED)
                    .singleElement()
                    .satisfies(s -> assertThat(s.attempt()).isEqualTo(2));
        }
        assertThat(new File("target/crash-crash-2.log")).exists();
    }
}
