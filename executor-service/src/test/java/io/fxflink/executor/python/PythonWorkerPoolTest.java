package io.fxflink.executor.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.context.PlatformCallException;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.pkg.Manifest;
import io.fxflink.executor.pkg.ServicePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm pool with real Python processes and hostile scripts; platform calls are faked. */
class PythonWorkerPoolTest {
    /** Package directories the sandbox's uid can read, as the executor's package cache. */
    static final java.nio.file.attribute.FileAttribute<?> READABLE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    static final ObjectMapper JSON = new ObjectMapper();
    static ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    static PythonWorkerPool pool;
    static PythonWorkerPool plain;
    @TempDir static Path work;

    @BeforeAll
    static void start() throws IOException {
        PythonRuntime runtime = PythonRuntime.install("/usr/bin/python3", work);
        pool =
                new PythonWorkerPool(
                        new PythonWorkerPool.Settings(2, 100, 4, 64 * 1024, 512),
                        runtime,
                        work,
                        JSON,
                        timers);
        plain =
                new PythonWorkerPool(
                        new PythonWorkerPool.Settings(1, 100, 4, 64 * 1024, 512),
                        PythonRuntime.install(
                                "/usr/bin/python3",
                                work,
                                PythonSandbox.none(PythonSandbox.Limits.defaults())),
                        work,
                        JSON,
                        timers);
    }

    @AfterAll
    static void stop() {
        plain.close();
        pool.close();
        timers.shutdownNow();
    }

    record Logged(LogLevel level, String stream, String message, boolean truncated) {}

    static final class Recorder implements StepCallbacks {
        final List<Logged> logs = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void log(LogLevel level, String stream, String message, boolean truncated) {
            logs.add(new Logged(level, stream, message, truncated));
        }

        @Override
        public Object call(String method, JsonNode args) throws PlatformCallException {
            calls.add(method + " " + args);
            return switch (method) {
                case "config.get" -> "configured-" + args.path("key").asText();
                case "events.send" -> "event-1";
                default -> throw new PlatformCallException("not in this fake: " + method);
            };
        }
    }

    StepOutcome run(String script, long timeoutMs, Recorder rec) throws Exception {
        return run(pool, script, timeoutMs, rec);
    }

    StepOutcome run(PythonWorkerPool pool, String script, long timeoutMs, Recorder rec)
            throws Exception {
        Path dir = Files.createTempDirectory(work, "pkg", READABLE);
        Files.writeString(dir.resolve("main.py"), script);
        ServicePackage pkg =
                new ServicePackage(
                        "0".repeat(64),
                        dir,
                        new Manifest("svc", "1", "python", List.of("main.py"), 1, Map.of()));
        StepInput input =
                new StepInput(
                        "exec-1",
                        "svc",
                        "1",
                        "pkg-id",
                        1,
                        JSON.readTree("{\"n\": 41}"),
                        JSON.readTree("{\"id\": \"e1\"}"),
                        timeoutMs);
        return pool.run(pkg, "main.py", input, rec);
    }

    @Test
    void aSeedStyleServiceSeesItsParamsLogsAndSendsEvents() throws Exception {
        Recorder rec = new Recorder();
        StepOutcome outcome =
                run(
                        "from fx_ef import context\n"
                                + "print('hello', context.params['n'] + 1)\n"
                                + "context.logging.info('from %s', context.execution_id)\n"
                                + "context.events.send('order.done', {'n': context.params['n']})\n"
                                + "context.events.send('order.src', 'urn:src', data={'x': 1},"
                                + " reference_id='r1')\n"
                                + "print(context.config.get('db'))\n",
                        10_000, rec);
        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        assertThat(rec.logs)
                .extracting(Logged::message)
                .contains("hello 42", "from exec-1", "configured-db");
        assertThat(rec.calls).hasSize(3);
        assertThat(rec.calls.get(0)).startsWith("events.send").contains("\"data\":{\"n\":41}");
        assertThat(rec.calls.get(1))
                .contains("\"source\":\"urn:src\"")
                .contains("\"reference_id\":\"r1\"");
    }

    @Test
    void sysExit3FailsWithTheCode() throws Exception {
        StepOutcome outcome = run("import sys\nsys.exit(3)\n", 10_000, new Recorder());
        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.FAILED);
        assertThat(outcome.error()).contains("sys.exit(3)");
    }

    @Test
    void anInfiniteLoopIsKilledAtTheTimeoutAndThePoolGoesOn() throws Exception {
        StepOutcome outcome = run("while True:\n    pass\n", 500, new Recorder());
        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.TIMED_OUT);
        Recorder rec = new Recorder();
        assertThat(run("print('still fine')\n", 10_000, rec).ok()).isTrue();
        assertThat(rec.logs).extracting(Logged::message).contains("still fine");
    }

    @Test
    void hugeOutputIsTruncatedWithAnExplicitMarker() throws Exception {
        Recorder rec = new Recorder();
        StepOutcome outcome = run("for i in range(200000):\n    print('x' * 100)\n", 20_000, rec);
        assertThat(outcome.ok()).isTrue();
        assertThat(rec.logs)
                .filteredOn(Logged::truncated)
                .extracting(Logged::message)
                .anyMatch(m -> m.contains("output truncated"));
        assertThat(rec.logs.size()).isLessThan(1000);
    }

    @Test
    void childProcessesDieWithTheStep() throws Exception {
        Path pidFile = Files.createTempFile(work, "child", ".pid");
        Recorder rec = new Recorder();
        StepOutcome outcome =
                run(
                        plain, // the host checks the pid: no PID namespace
                        "import subprocess\n"
                                + "p = subprocess.Popen(['sleep', '300'])\n"
                                + "open('"
                                + pidFile
                                + "', 'w').write(str(p.pid))\n",
                        10_000,
                        rec);
        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    /**
     * Exactly the variables {@link PythonRuntime#environment()} deliberately sets (the names are
     * written out here, not read from it): anything else, e.g. the executor's own FX_* endpoints
     * and credentials or whatever the JVM was started with, would have leaked.
     */
    static final Set<String> WORKER_ENVIRONMENT =
            Set.of("PATH", "HOME", "LANG", "LC_ALL", "PYTHONUNBUFFERED", "TMPDIR", "LD_BIND_NOW");

    @Test
    void theEnvironmentHoldsOnlyWhatTheExecutorPassesOn() throws Exception {
        Recorder rec = new Recorder();
        StepOutcome outcome =
                run(
                        "import os, json\nprint(json.dumps(dict(os.environ), sort_keys=True))\n",
                        10_000,
                        rec);
        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        assertThat(rec.logs).hasSize(1);
        JsonNode env = JSON.readTree(rec.logs.get(0).message());
        Set<String> names = new TreeSet<>();
        env.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("the step's environment").isEqualTo(new TreeSet<>(WORKER_ENVIRONMENT));
        assertThat(env.path("PATH").asText()).isEqualTo("/usr/local/bin:/usr/bin:/bin");
        // HOME and TMPDIR are the step's own directory inside the runtime's home directory
        Path home = Path.of(env.path("HOME").asText());
        // (lexically: in the sandbox it is a private tmpfs the host does not see)
        assertThat(home.startsWith(work.resolve("python-home"))).as(home.toString()).isTrue();
        assertThat(env.path("TMPDIR").asText()).isEqualTo(home.toString());
    }

    @Test
    void stateDoesNotLeakBetweenExecutions() throws Exception {
        run(
                "import json\njson.leaked = 'yes'\nimport fx_ef\nfx_ef.leak = 1\n",
                10_000,
                new Recorder());
        Recorder rec = new Recorder();
        run(
                "import json, fx_ef\nprint(hasattr(json, 'leaked'), hasattr(fx_ef, 'leak'))\n",
                10_000,
                rec);
        assertThat(rec.logs).extracting(Logged::message).containsExactly("False False");
    }

    @Test
    void anUnsupportedCallFailsNamingIt() throws Exception {
        StepOutcome outcome =
                run(
                        "from fx_ef import context\ncontext.events.publish_batch([])\n",
                        10_000,
                        new Recorder());
        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.FAILED);
        assertThat(outcome.error()).contains("context.events.publish_batch is not supported");
    }
}
