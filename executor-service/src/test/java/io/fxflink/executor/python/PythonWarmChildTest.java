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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children kept warm for the next step of their own package (real Python, one worker keeping up to
 * two, so consecutive steps run on the same worker): reused only after a clean step, and then
 * nothing of the previous step is left (its processes, modules, names on fx_ef, environment,
 * handlers); never given to another package.
 */
class PythonWarmChildTest {
    /** Package directories the sandbox's uid can read, as the executor's package cache. */
    static final java.nio.file.attribute.FileAttribute<?> READABLE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    static final ObjectMapper JSON = new ObjectMapper();
    static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor();
    @TempDir static Path work;
    PythonWorkerPool pool;

    @BeforeEach
    void start() throws IOException {
        pool = pool(2);
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    @AfterAll
    static void stopTimers() {
        TIMERS.shutdownNow();
    }

    static PythonWorkerPool pool(int warm) throws IOException {
        return pool(warm, true);
    }

    /**
     * @param sandboxed false for the tests that watch the step's processes and files from the host
     *     (inside the sandbox they are in namespaces of their own)
     */
    static PythonWorkerPool pool(int warm, boolean sandboxed) throws IOException {
        return new PythonWorkerPool(
                new PythonWorkerPool.Settings(1, 1000, warm, 1 << 20, 512),
                sandboxed
                        ? PythonRuntime.install("/usr/bin/python3", work)
                        : PythonRuntime.install(
                                "/usr/bin/python3",
                                work,
                                PythonSandbox.none(PythonSandbox.Limits.defaults())),
                work,
                JSON,
                TIMERS);
    }

    static final class Lines implements StepCallbacks {
        final List<String> stdout = new CopyOnWriteArrayList<>();

        @Override
        public void log(LogLevel level, String stream, String message, boolean truncated) {
            if (stream.equals("stdout")) {
                stdout.add(message);
            }
        }

        @Override
        public Object call(String method, JsonNode args) {
            return null;
        }
    }

    /** A package whose steps are the given scripts (file name → source). */
    static ServicePackage pkg(Map<String, String> steps) throws IOException {
        Path dir = Files.createTempDirectory(work, "pkg", READABLE);
        for (var s : steps.entrySet()) {
            Files.writeString(dir.resolve(s.getKey()), s.getValue());
        }
        return new ServicePackage(
                "%064x".formatted(dir.hashCode()),
                dir,
                new Manifest("svc", "1", "python", List.copyOf(steps.keySet()), 1, Map.of()));
    }

    StepOutcome run(PythonWorkerPool p, ServicePackage pkg, String step, Lines lines)
            throws Exception {
        StepInput input =
                new StepInput(
                        "exec-1",
                        "svc",
                        "1",
                        pkg.sha256(),
                        1,
                        JSON.readTree("{\"secret\": \"s3cr3t\"}"),
                        JSON.createObjectNode(),
                        10_000);
        return p.run(pkg, step, input, lines);
    }

    /** Runs the step, which must succeed, and returns its stdout lines. */
    List<String> ok(ServicePackage pkg, String step) throws Exception {
        Lines lines = new Lines();
        StepOutcome outcome = run(pool, pkg, step, lines);
        assertThat(outcome.ok()).as(step + ": " + outcome).isTrue();
        return lines.stdout;
    }

    static final String PRINT_PID = "import os\nprint(os.getpid(), os.getpgid(0))\n";

    @Test
    void aCleanStepKeepsItsChildWarmForTheNextStepOfTheSamePackage() throws Exception {
        ServicePackage pkg = pkg(Map.of("pid.py", PRINT_PID));
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            String[] ids = ok(pkg, "pid.py").get(0).split(" ");
            assertThat(ids[1]).as("process group").isEqualTo(ids[0]);
            pids.add(ids[0]);
        }
        assertThat(pids).as("one warm child for the package").hasSize(1);
    }

    @Test
    void theNextStepInTheWarmChildSeesNothingOfThePreviousStep() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "helper.py",
                                "VALUES = []\n",
                                "dirty.py",
                                "import os, signal, sys, helper, fx_ef\n"
                                        + "from fx_ef import context\n"
                                        + "helper.VALUES.append(context.params['secret'])\n"
                                        + "fx_ef.leak = 1\n"
                                        + "context.extra = 1\n"
                                        + "os.environ['LEAK'] = 'x'\n"
                                        + "sys.path.append('/leak')\n"
                                        + "sys.argv.append('--leak')\n"
                                        + "signal.signal(signal.SIGTERM, lambda *a: None)\n"
                                        + "signal.alarm(1)\n"
                                        + "os.chdir('/')\n"
                                        + "os.umask(0o777)\n"
                                        + "print(os.getpid())\n",
                                "look.py",
                                "import os, signal, sys, fx_ef\n"
                                        + "from fx_ef import context\n"
                                        + "print(os.getpid())\n"
                                        + "print('helper' in sys.modules, hasattr(fx_ef, 'leak'),"
                                        + " 'extra' in vars(context), 'LEAK' in os.environ,"
                                        + " '/leak' in sys.path, '--leak' in sys.argv)\n"
                                        + "print(signal.getsignal(signal.SIGTERM) =="
                                        + " signal.SIG_DFL, signal.alarm(0), os.umask(0o22))\n"
                                        + "import helper\n"
                                        + "print(helper.VALUES, os.getcwd() == os.path.dirname("
                                        + "os.path.abspath(__file__)))\n"));
        String dirtyPid = ok(pkg, "dirty.py").get(0);
        List<String> look = ok(pkg, "look.py");
        assertThat(look.get(0)).as("the same warm child").isEqualTo(dirtyPid);
        assertThat(look.subList(1, 4))
                .containsExactly("False False False False False False", "True 0 18", "[] True");
    }

    @Test
    void processesAStepLeavesBehindAreDeadWhenItsEndIsReportedEvenDaemonized() throws Exception {
        pool.close();
        pool = pool(2, false); // the host checks the pids
        Path pids = Files.createTempFile(work, "left", ".pids");
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "spawn.py",
                                "import os, subprocess\n"
                                        + "p = subprocess.Popen(['sleep', '300'])\n"
                                        + "r, w = os.pipe()\n"
                                        + "if os.fork() == 0:\n"
                                        + "    os.setsid()\n"
                                        + "    if os.fork() == 0:\n"
                                        + "        os.write(w, str(os.getpid()).encode())\n"
                                        + "        os.execvp('sleep', ['sleep', '300'])\n"
                                        + "    os._exit(0)\n"
                                        + "daemon = os.read(r, 32).decode()\n"
                                        + "os.close(r); os.close(w)\n"
                                        + "open('"
                                        + pids
                                        + "', 'w').write('%d %s' % (p.pid, daemon))\n"
                                        + "print(os.getpid())\n",
                                "pid.py",
                                "import os\nprint(os.getpid())\n"));
        String pid = ok(pkg, "spawn.py").get(0);
        for (String left : Files.readString(pids).trim().split(" ")) {
            assertThat(ProcessHandle.of(Long.parseLong(left)).filter(ProcessHandle::isAlive))
                    .as("process %s left by the step", left)
                    .isEmpty();
        }
        assertThat(ok(pkg, "pid.py")).as("the child stays warm").containsExactly(pid);
    }

    @Test
    void aStepThatFailedOrLeftAThreadAFileOrAChangedProcessDoesNotKeepItsChild() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "pid.py",
                                "import os\nprint(os.getpid())\n",
                                "fail.py",
                                "import sys\nsys.exit(2)\n",
                                "thread.py",
                                "import threading, time\n"
                                        + "threading.Thread(target=time.sleep, args=(60,),"
                                        + " daemon=True).start()\n",
                                "file.py",
                                "import json\njson.kept = open(__file__)\n",
                                "stdout.py",
                                "import os\nfd = os.open(os.devnull, os.O_WRONLY)\nos.dup2(fd, 1)\nos.close(fd)\n",
                                "limits.py",
                                "import resource\nresource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))\n",
                                "nice.py",
                                "import os\nos.nice(5)\n"));
        for (String dirty :
                List.of("fail.py", "thread.py", "file.py", "stdout.py", "limits.py", "nice.py")) {
            String before = ok(pkg, "pid.py").get(0);
            run(pool, pkg, dirty, new Lines());
            assertThat(ok(pkg, "pid.py").get(0)).as("child after " + dirty).isNotEqualTo(before);
        }
    }

    @Test
    void anotherPackageNeverGetsTheWarmChildNorAnythingOfIt() throws Exception {
        ServicePackage a =
                pkg(
                        Map.of(
                                "a.py",
                                "import os, json\n"
                                        + "from fx_ef import context\n"
                                        + "json.leaked = context.params['secret']\n"
                                        + "print(os.getpid())\n"));
        ServicePackage b =
                pkg(
                        Map.of(
                                "b.py",
                                "import os, json\n"
                                        + "print(os.getpid())\n"
                                        + "print(hasattr(json, 'leaked'))\n"));
        String pidA = ok(a, "a.py").get(0);
        List<String> seenByB = ok(b, "b.py");
        assertThat(seenByB.get(0)).as("b runs in another process").isNotEqualTo(pidA);
        assertThat(seenByB.get(1)).isEqualTo("False");
        assertThat(ok(a, "a.py").get(0)).as("a's child stayed warm").isEqualTo(pidA);
    }

    @Test
    void beyondItsWarmChildrenAWorkerLetsTheLeastRecentlyUsedOneGo() throws Exception {
        List<ServicePackage> pkgs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pkgs.add(pkg(Map.of("pid.py", PRINT_PID)));
        }
        List<String> first = new java.util.ArrayList<>();
        for (ServicePackage p : pkgs) {
            first.add(ok(p, "pid.py").get(0));
        }
        // two warm children per worker: the third package's step sent the first one's away
        assertThat(ok(pkgs.get(2), "pid.py").get(0)).isEqualTo(first.get(2));
        assertThat(ok(pkgs.get(1), "pid.py").get(0)).isEqualTo(first.get(1));
        assertThat(ok(pkgs.get(0), "pid.py").get(0)).isNotEqualTo(first.get(0));
    }

    @Test
    void aTimedOutStepLosesItsChildAndTheNextStepRuns() throws Exception {
        ServicePackage pkg =
                pkg(
                        Map.of(
                                "pid.py",
                                // pid and start time: a new worker's PID namespace counts anew
                                "import os\nprint(os.getpid(),"
                                        + " open('/proc/self/stat').read().split()[21])\n",
                                "loop.py",
                                "while 1: pass\n"));
        String before = ok(pkg, "pid.py").get(0);
        StepInput input =
                new StepInput(
                        "exec-t",
                        "svc",
                        "1",
                        pkg.sha256(),
                        1,
                        JSON.createObjectNode(),
                        JSON.createObjectNode(),
                        300);
        assertThat(pool.run(pkg, "loop.py", input, new Lines()).kind())
                .isEqualTo(StepOutcome.Kind.TIMED_OUT);
        assertThat(ok(pkg, "pid.py").get(0)).isNotEqualTo(before);
    }

    @Test
    void aStepsFilesAreGoneWhenItEndsAndTheWorkersFilesWhenItStops() throws Exception {
        pool.close();
        pool = pool(2, false); // the host looks into HOME (a private tmpfs in the sandbox)
        String write =
                "import os, tempfile\n"
                        + "open(os.path.join(os.environ['HOME'], 'cache'), 'w').write('s3cr3t')\n"
                        + "d = tempfile.mkdtemp()\n"
                        + "open(os.path.join(d, 'big'), 'w').write('x' * 100000)\n"
                        + "print(os.getpid(), os.environ['HOME'], d.startswith(os.environ['HOME']))\n";
        ServicePackage a =
                pkg(
                        Map.of(
                                "write.py",
                                write,
                                "look.py",
                                "import os, tempfile\n"
                                        + "print(os.getpid(), os.listdir(os.environ['HOME']),"
                                        + " tempfile.gettempdir() == os.environ['HOME'])\n"));
        ServicePackage b = pkg(Map.of("write.py", write));
        String[] first = ok(a, "write.py").get(0).split(" ");
        Path home = Path.of(first[1]);
        assertThat(first[2]).as("tempfile writes under the step's HOME").isEqualTo("True");
        try (var left = Files.list(home)) {
            assertThat(left).as("files left in HOME after the step").isEmpty();
        }
        assertThat(ok(a, "look.py")).containsExactly(first[0] + " [] True");
        String[] other = ok(b, "write.py").get(0).split(" ");
        assertThat(other[1]).as("another package's HOME").isNotEqualTo(first[1]);

        Path workerDir = home.getParent();
        pool.close();
        assertThat(workerDir).as("the worker's directory after it stopped").doesNotExist();
    }

    @Test
    void withReuseOffEveryStepGetsAFreshChild() throws Exception {
        ServicePackage pkg = pkg(Map.of("pid.py", "import os\nprint(os.getpid())\n"));
        try (PythonWorkerPool fresh = pool(0)) {
            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Lines lines = new Lines();
                assertThat(run(fresh, pkg, "pid.py", lines).ok()).isTrue();
                pids.add(lines.stdout.get(0));
            }
            assertThat(pids).hasSize(3);
        }
    }
}
