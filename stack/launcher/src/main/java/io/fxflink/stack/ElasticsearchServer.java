package io.fxflink.stack;

import io.fxflink.stack.internal.ChildProcess;
import io.fxflink.stack.internal.Probes;
import io.fxflink.stack.internal.Unzip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Elasticsearch from its integ-test-zip (a reduced module set: no ILM, data streams, ingest
 * pipelines). Elasticsearch refuses to run as root, so as root it runs as a system user.
 */
final class ElasticsearchServer implements ManagedServer {
    static final String VERSION = "8.19.21";
    static final String SYSTEM_USER = "fxstack";

    private final StackSettings settings;
    private final Path dir;
    private ChildProcess process;

    ElasticsearchServer(StackSettings settings) {
        this.settings = settings;
        this.dir = reachableFolder(settings.serverDir(ServerKind.ELASTICSEARCH));
    }

    /**
     * As root, Elasticsearch runs as a system user that must be able to reach its folder. When an
     * ancestor of the working folder is private (a 0700 temp or home folder), its files go to a
     * folder under /var/tmp named after the working folder instead.
     */
    static Path reachableFolder(Path wanted) {
        if (!isRoot()) {
            return wanted;
        }
        for (Path p = wanted.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !othersMayTraverse(p)) {
                String id = Integer.toHexString(wanted.toAbsolutePath().toString().hashCode());
                return Path.of("/var/tmp/fx-stack-" + id, "elasticsearch");
            }
        }
        return wanted;
    }

    private static boolean othersMayTraverse(Path p) {
        try {
            return Files.getPosixFilePermissions(p)
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    @Override
    public ServerKind kind() {
        return ServerKind.ELASTICSEARCH;
    }

    @Override
    public Endpoints endpoints() {
        return new Endpoints()
                .with(Endpoints.ES_URL, "http://127.0.0.1:" + settings.elasticsearchPort());
    }

    @Override
    public boolean answers() {
        // the integ-test-zip answers 405 on GET /: cluster health is the readiness check
        return Probes.httpStatus(healthUrl()) == 200;
    }

    private String healthUrl() {
        return endpoints().elasticsearchUrl()
                + "/_cluster/health?wait_for_status=yellow&timeout=1s";
    }

    @Override
    public Endpoints start(Duration timeout) throws Exception {
        Path zip = settings.requireDist("elasticsearch-" + VERSION + ".zip");
        Path esHome = dir.resolve("elasticsearch-" + VERSION);
        if (!Files.exists(esHome.resolve("bin/elasticsearch"))) {
            Unzip.into(zip, dir);
            esHome.resolve("bin/elasticsearch").toFile().setExecutable(true, false);
            try (var files = Files.list(esHome.resolve("bin"))) {
                files.forEach(f -> f.toFile().setExecutable(true, false));
            }
        }
        Path data = dir.resolve("data");
        Path logs = dir.resolve("logs");
        Path tmp = dir.resolve("tmp");
        Path run = dir.resolve("run");
        for (Path p : List.of(data, logs, tmp, run)) {
            Files.createDirectories(p);
        }
        // written before the first start: otherwise 8.x auto-configures TLS and cannot boot without
        // it
        Files.writeString(esHome.resolve("config/elasticsearch.yml"), config(data, logs));
        Files.writeString(esHome.resolve("config/jvm.options.d/fx.options"), jvmOptions());
        Path pidFile = run.resolve("es.pid");
        Files.deleteIfExists(pidFile);

        List<String> cmd = new ArrayList<>();
        boolean root = isRoot();
        if (root) {
            ensureSystemUser();
            chown(esHome, data, logs, tmp, run);
            cmd.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        cmd.addAll(
                List.of(esHome.resolve("bin/elasticsearch").toString(), "-p", pidFile.toString()));
        Map<String, String> env =
                Map.of(
                        "ES_JAVA_HOME",
                        System.getProperty("java.home"),
                        "ES_TMPDIR",
                        tmp.toString(),
                        "CLI_JAVA_OPTS",
                        "-Djava.io.tmpdir=" + tmp + " -XX:-UsePerfData",
                        "ES_JAVA_OPTS",
                        settings.elasticsearchHeap() + " -XX:-UsePerfData");
        Path logFile = dir.resolve("elasticsearch.log");
        Files.deleteIfExists(logFile);
        process = ChildProcess.start("elasticsearch", cmd, env, dir, logFile);
        Probes.await(
                "Elasticsearch on port " + settings.elasticsearchPort(),
                timeout,
                this::answers,
                process::checkAlive);
        return endpoints();
    }

    private String config(Path data, Path logs) {
        return String.join(
                "\n",
                "# written by the FX local stack at each start: single node, loopback, no security",
                "cluster.name: fx-local",
                "node.name: fx-node-1",
                "path.data: " + data,
                "path.logs: " + logs,
                "network.host: 127.0.0.1",
                "http.port: " + settings.elasticsearchPort(),
                "transport.port: " + settings.elasticsearchTransportPort(),
                "discovery.type: single-node",
                "xpack.security.enabled: false",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "action.destructive_requires_name: false",
                "");
    }

    private static String jvmOptions() {
        // the server JVM's own GC log would otherwise go to logs/ with rotation files
        return "-Xlog:disable\n-Xlog:all=warning:stderr:utctime,level,tags\n";
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void ensureSystemUser() throws IOException, InterruptedException {
        if (run(List.of("id", "-u", SYSTEM_USER)) != 0) {
            int code =
                    run(
                            List.of(
                                    "useradd",
                                    "--system",
                                    "--no-create-home",
                                    "--shell",
                                    "/usr/sbin/nologin",
                                    SYSTEM_USER));
            if (code != 0 && run(List.of("id", "-u", SYSTEM_USER)) != 0) {
                throw new IllegalStateException(
                        "Elasticsearch cannot run as root and creating the system user '"
                                + SYSTEM_USER
                                + "' failed (useradd exit "
                                + code
                                + ")");
            }
        }
    }

    private static void chown(Path... paths) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("chown", "-R", SYSTEM_USER + ":"));
        for (Path p : paths) {
            cmd.add(p.toString());
        }
        if (run(cmd) != 0) {
            throw new IllegalStateException(
                    "could not give the Elasticsearch folders to " + SYSTEM_USER);
        }
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop(30);
            process = null;
        }
    }
}
