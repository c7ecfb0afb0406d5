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
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services that attack the platform from a Python step, run by real sandboxed workers (bubblewrap,
 * the real Python) next to real Kafka and PostgreSQL. Each attack fails inside the sandbox; the
 * same script in an unsandboxed pool shows the attack would have worked there.
 */
class HostileServiceITCase {
    @RegisterExtension
    static final RealServers SERVERS = RealServers.of(ServerKind.KAFKA, ServerKind.POSTGRES);

    static final ObjectMapper JSON = new ObjectMapper();
    static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor();
    static final AtomicInteger SEQ = new AtomicInteger();
    static final PythonSandbox.Limits LIMITS = new PythonSandbox.Limits(64, 1 << 20, 128, 60);
    @TempDir static Path work;
    static PythonWorkerPool sandboxed;
    static PythonWorkerPool unconfined;

    @BeforeAll
    static void start() throws IOException {
        sandboxed = pool(PythonSandbox.detect("bwrap", LIMITS));
        unconfined = pool(PythonSandbox.none(LIMITS));
    }

    static PythonWorkerPool pool(PythonSandbox sandbox) throws IOException {
        return new PythonWorkerPool(
                new PythonWorkerPool.Settings(1, 1000, 2, 1 << 20, 512),
                PythonRuntime.install("/usr/bin/python3", work, sandbox),
                work,
                JSON,
                TIMERS);
    }

    @AfterAll
    static void stop() {
        sandboxed.close();
        unconfined.close();
        TIMERS.shutdownNow();
    }

    static final class Lines implements StepCallbacks {
        final List<String> out = new CopyOnWriteArrayList<>();

        @Override
        public void log(LogLevel level, String stream, String message, boolean truncated) {
            out.add(stream + ": " + message);
        }

        @Override
        public Object call(String method, JsonNode args) throws PlatformCallException {
            throw new PlatformCallException("no platform calls in this test");
        }
    }

    record Run(StepOutcome outcome, List<String> lines) {
        List<String> stdout() {
            return lines.stream()
                    .filter(l -> l.startsWith("stdout: "))
                    .map(l -> l.substring(8))
                    .toList();
        }
    }

    static final java.nio.file.attribute.FileAttribute<?> READABLE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    static ServicePackage pkg(String script) throws IOException {
        Path dir = Files.createTempDirectory(work, "pkg", READABLE);
        Files.writeString(dir.resolve("main.py"), script);
        return new ServicePackage(
                String.format("%064d", SEQ.incrementAndGet()),
                dir,
                new Manifest("svc", "1", "python", List.of("main.py"), 1, Map.of()));
    }

    static Run run(PythonWorkerPool pool, ServicePackage pkg, String project, long timeoutMs)
            throws Exception {
        Lines lines = new Lines();
        StepInput input =
                new StepInput(
                        "exec-" + SEQ.incrementAndGet(),
                        "svc",
                        "1",
                        pkg.sha256(),
                        1,
                        JSON.createObjectNode(),
                        JSON.createObjectNode(),
                        timeoutMs,
                        project);
        return new Run(pool.run(pkg, "main.py", input, lines), lines.out);
    }

    static Run run(PythonWorkerPool pool, String script) throws Exception {
        return run(pool, pkg(script), "default", 20_000);
    }

    @Test
    void readingEveryProcsEnvironmentFindsNoPlatformVariableAndNoExecutor() throws Exception {
        long jvm = ProcessHandle.current().pid();
        String script =
                "import os\n"
                        + "names, cmds = set(), []\n"
                        + "for p in os.listdir('/proc'):\n"
                        + "    if not p.isdigit(): continue\n"
                        + "    try:\n"
                        + "        env = open('/proc/%s/environ' % p, 'rb').read().split(b'\\0')\n"
                        + "        names |= {e.split(b'=')[0].decode() for e in env if e}\n"
                        + "        cmds.append(open('/proc/%s/cmdline' % p, 'rb').read()"
                        + ".replace(b'\\0', b' ').decode())\n"
                        + "    except OSError:\n"
                        + "        pass\n"
                        + "print(sorted(n for n in names if n.startswith('FX_')"
                        + " or 'SECRET' in n or 'PASSWORD' in n or 'TOKEN' in n))\n"
                        + "print(any('java' in c for c in cmds))\n"
                        + "print(os.path.exists('/proc/"
                        + jvm
                        + "/environ') and b'java' in open('/proc/"
                        + jvm
                        + "/cmdline', 'rb').read())\n"
                        + "print(os.getuid(), os.getgid())\n";
        Run in = run(sandboxed, script);
        assertThat(in.outcome().ok()).as(in.toString()).isTrue();
        assertThat(in.stdout())
                .as("FX_/secret names, an executor process, the test JVM's environ, uid")
                .containsExactly("[]", "False", "False", "65534 65534");
        Run out = run(unconfined, script);
        assertThat(out.stdout().get(1))
                .as("unconfined, the JVM is in plain sight")
                .isEqualTo("True");
    }

    static boolean open(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 3000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void connectionsToKafkaAndPostgresOnLoopbackFail() throws Exception {
        int kafka = URI.create("tcp://" + SERVERS.kafkaBootstrap().split(",")[0]).getPort();
        int postgres = URI.create(SERVERS.postgres().url().substring("jdbc:".length())).getPort();
        try (java.net.ServerSocket listener =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // a listener of this test as well: open for certain while the steps run (the shared
            // Kafka may be restarted by another build)
            int own = listener.getLocalPort();
            String script =
                    "import socket\n"
                            + "for port in ("
                            + kafka
                            + ", "
                            + postgres
                            + ", "
                            + own
                            + "):\n"
                            + "    try:\n"
                            + "        socket.create_connection(('127.0.0.1', port), timeout=3)"
                            + ".close()\n"
                            + "        print(port, 'connected')\n"
                            + "    except OSError as e:\n"
                            + "        print(port, 'refused', e.errno)\n";
            Run in = run(sandboxed, script);
            assertThat(in.outcome().ok()).as(in.toString()).isTrue();
            assertThat(in.stdout())
                    .as("Kafka, PostgreSQL and a loopback listener from the sandbox")
                    .hasSize(3)
                    .allMatch(l -> l.contains(" refused "), "refused");
            boolean kafkaOpen = open(kafka);
            Run out = run(unconfined, script);
            assertThat(out.stdout())
                    .as("the same ports outside the sandbox")
                    .containsExactly(
                            kafka + (kafkaOpen ? " connected" : " refused 111"),
                            postgres + " connected",
                            own + " connected");
        }
    }

    @Test
    void writingIntoItsPackageOrTheRuntimesFxEfFails() throws Exception {
        ServicePackage pkg =
                pkg(
                        "import os, fx_ef\n"
                                + "for path in (os.path.abspath(__file__),"
                                + " fx_ef.__file__, os.path.join(os.path.dirname(__file__),"
                                + " 'new.py')):\n"
                                + "    try:\n"
                                + "        open(path, 'a').write('# owned')\n"
                                + "        print('wrote')\n"
                                + "    except OSError as e:\n"
                                + "        print('refused', e.errno)\n");
        Path fxEf = work.resolve("python-runtime/fx_ef/__init__.py");
        String runtimeBefore = Files.readString(fxEf);
        String scriptBefore = Files.readString(pkg.directory().resolve("main.py"));
        Run in = run(sandboxed, pkg, "default", 20_000);
        assertThat(in.outcome().ok()).as(in.toString()).isTrue();
        // EACCES (13: root's files, the sandbox is uid 65534) or EROFS (30: read-only mount)
        assertThat(in.stdout())
                .hasSize(3)
                .allMatch(l -> l.equals("refused 13") || l.equals("refused 30"), "refused");
        assertThat(Files.readString(fxEf)).isEqualTo(runtimeBefore);
        assertThat(Files.readString(pkg.directory().resolve("main.py"))).isEqualTo(scriptBefore);
        assertThat(pkg.directory().resolve("new.py")).doesNotExist();
    }

    @Test
    void aForkBombIsStoppedByTheProcessLimitAndThePoolGoesOn() throws Exception {
        Run bomb =
                run(
                        sandboxed,
                        "import os, time\n"
                                + "n = 0\n"
                                + "try:\n"
                                + "    while n < 10000:\n"
                                + "        if os.fork() == 0:\n"
                                + "            time.sleep(60)\n"
                                + "            os._exit(0)\n"
                                + "        n += 1\n"
                                + "    print('forked', n)\n"
                                + "except OSError as e:\n"
                                + "    print('stopped', n, e.errno)\n");
        assertThat(bomb.outcome().ok()).as(bomb.toString()).isTrue();
        String[] stopped = bomb.stdout().get(0).split(" ");
        assertThat(stopped[0]).as(bomb.stdout().toString()).isEqualTo("stopped");
        assertThat(Integer.parseInt(stopped[1])).isLessThan(LIMITS.maxProcs());
        assertThat(stopped[2]).as("EAGAIN").isEqualTo("11");
        Run after = run(sandboxed, "print('fine')\n");
        assertThat(after.stdout()).containsExactly("fine");
    }

    static final String DAEMON =
            "import os, sys, time\n"
                    + "r, w = os.pipe()\n"
                    + "if os.fork() == 0:\n"
                    + "    os.setsid()\n"
                    + "    if os.fork() == 0:\n"
                    + "        os.write(w, b'%d %s' % (os.getpid(),"
                    + " open('/proc/self/stat').read().split()[21].encode()))\n"
                    + "        time.sleep(300)\n"
                    + "    os._exit(0)\n"
                    + "print(os.read(r, 64).decode())\n"
                    + "sys.exit(3)\n";

    static final String LOOK =
            "import os\n"
                    + "pid, start = %s\n"
                    + "try:\n"
                    + "    alive = open('/proc/%%d/stat' %% pid).read().split()[21] == start\n"
                    + "except OSError:\n"
                    + "    alive = False\n"
                    + "print(alive)\n";

    @Test
    void aDaemonLeftAfterANonZeroExitIsGoneBeforeTheNextStep() throws Exception {
        Run daemon = run(sandboxed, DAEMON);
        assertThat(daemon.outcome().kind()).isEqualTo(StepOutcome.Kind.FAILED);
        String[] id = daemon.stdout().get(0).split(" ");
        Run look = run(sandboxed, String.format(LOOK, id[0] + ", '" + id[1] + "'"));
        assertThat(look.stdout())
                .as("the daemon, seen from the next step")
                .containsExactly("False");
    }

    @Test
    void aWorkerThatRanOneProjectsStepNeverRunsAnotherProjects() throws Exception {
        // bubblewrap's pid 1 started when the worker's sandbox did: its start time names the
        // sandbox
        String script = "print(open('/proc/1/stat').read().split()[21])\n";
        ServicePackage a = pkg(script);
        ServicePackage b = pkg(script);
        String alpha = run(sandboxed, a, "alpha", 20_000).stdout().get(0);
        assertThat(run(sandboxed, a, "alpha", 20_000).stdout())
                .as("the same project keeps its worker")
                .containsExactly(alpha);
        String beta = run(sandboxed, b, "beta", 20_000).stdout().get(0);
        assertThat(beta).as("beta's step in alpha's sandbox").isNotEqualTo(alpha);
        assertThat(run(sandboxed, a, "alpha", 20_000).stdout().get(0))
                .as("alpha's step in beta's sandbox")
                .isNotEqualTo(beta);
    }
}
