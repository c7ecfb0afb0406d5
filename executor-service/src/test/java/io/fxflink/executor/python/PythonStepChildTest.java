package io.fxflink.executor.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.pkg.Manifest;
import io.fxflink.executor.pkg.ServicePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The children a worker forks ahead of their steps, with reuse off (real Python, one worker, so
 * consecutive steps run on the same worker): one child per execution, nothing of the previous
 * execution visible, output relayed whole by the worker, exit codes and signals reported.
 */
class PythonStepChildTest {
    /** Package directories the sandbox's uid can read, as the executor's package cache. */
    static final java.nio.file.attribute.FileAttribute<?> READABLE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    static final ObjectMapper JSON = new ObjectMapper();
    static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor();
    static PythonWorkerPool pool;
    @TempDir static Path work;

    @BeforeAll
    static void start() throws IOException {
        PythonRuntime runtime = PythonRuntime.install("/usr/bin/python3", work);
        pool =
                new PythonWorkerPool(
                        new PythonWorkerPool.Settings(1, 1000, 0, 1 << 20, 512),
                        runtime,
                        work,
                        JSON,
                        TIMERS);
    }

    @AfterAll
    static void stop() {
        pool.close();
        TIMERS.shutdownNow();
    }

    static final class Lines implements StepCallbacks {
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();

        @Override
        public void log(LogLevel level, String stream, String message, boolean truncated) {
            (stream.equals("stderr") ? stderr : stdout).add(message);
        }

        @Override
        public Object call(String method, JsonNode args) {
            return null;
        }
    }

    StepOutcome run(String script, String params, Lines lines, Map<String, String> files)
            throws Exception {
        Path dir = Files.createTempDirectory(work, "pkg", READABLE);
        Files.writeString(dir.resolve("main.py"), script);
        for (var f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
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
                        JSON.readTree(params),
                        JSON.createObjectNode(),
                        10_000);
        return pool.run(pkg, "main.py", input, lines);
    }

    StepOutcome run(String script, Lines lines) throws Exception {
        return run(script, "{}", lines, Map.of());
    }

    @Test
    void everyExecutionRunsInAFreshChildThatLeadsItsOwnProcessGroup() throws Exception {
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Lines lines = new Lines();
            StepOutcome outcome =
                    run("import os\nprint(os.getpid(), os.getpgid(0), os.getppid())\n", lines);
            assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
            String[] ids = lines.stdout.get(0).split(" ");
            assertThat(ids[1]).as("process group").isEqualTo(ids[0]);
            pids.add(ids[0]);
        }
        assertThat(pids).as("one child per execution, never reused").hasSize(5);
    }

    @Test
    void aChildForkedAheadSeesNothingOfThePreviousExecution() throws Exception {
        StepOutcome first =
                run(
                        "from fx_ef import context\n"
                                + "import helper, json, sys\n"
                                + "json.leaked = context.params['secret']\n"
                                + "sys.leaked = helper.VALUE\n",
                        "{\"secret\": \"s3cr3t-token\"}",
                        new Lines(),
                        Map.of("helper.py", "VALUE = 'from the first package'\n"));
        assertThat(first.ok()).as(String.valueOf(first)).isTrue();
        Lines lines = new Lines();
        StepOutcome second =
                run(
                        "import gc, json, sys\n"
                                + "print('helper' in sys.modules, hasattr(json, 'leaked'),"
                                + " hasattr(sys, 'leaked'))\n"
                                + "print(any(isinstance(o, dict) and 'secret' in o"
                                + " for o in gc.get_objects()))\n",
                        lines);
        assertThat(second.ok()).as(String.valueOf(second)).isTrue();
        assertThat(lines.stdout).containsExactly("False False False", "False");
    }

    @Test
    void outputWrittenRightBeforeTheStepEndsIsRelayedWholeAndInOrder() throws Exception {
        Lines lines = new Lines();
        StepOutcome outcome =
                run(
                        "import sys\n"
                                + "for i in range(300):\n"
                                + "    print('out', i)\n"
                                + "    print('err', i, file=sys.stderr)\n"
                                + "sys.stdout.write('last line without a newline')\n",
                        lines);
        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        assertThat(lines.stdout).hasSize(301);
        assertThat(lines.stdout.get(0)).isEqualTo("out 0");
        assertThat(lines.stdout.get(299)).isEqualTo("out 299");
        assertThat(lines.stdout.get(300)).isEqualTo("last line without a newline");
        assertThat(lines.stderr).hasSize(300).endsWith("err 299");
    }

    @Test
    void anExitThatBypassesPythonIsReportedWithItsCode() throws Exception {
        StepOutcome outcome = run("import os\nos._exit(5)\n", new Lines());
        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.FAILED);
        assertThat(outcome.error()).contains("code 5");
        assertThat(run("print('next')\n", new Lines()).ok()).isTrue();
    }

    @Test
    void aStepKilledByASignalFailsAndThePoolGoesOn() throws Exception {
        StepOutcome outcome =
                run("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", new Lines());
        assertThat(outcome.kind()).isEqualTo(StepOutcome.Kind.FAILED);
        assertThat(outcome.error()).contains("killed by signal 9");
        Lines lines = new Lines();
        assertThat(run("print('next')\n", lines).ok()).isTrue();
        assertThat(lines.stdout).containsExactly("next");
    }
}
