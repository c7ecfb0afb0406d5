package io.fxflink.stack;

import io.fxflink.stack.internal.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * Talks to a {@link StackSupervisor} on its control port, starting one in the background when none
 * answers. Servers the user configured (FX_KAFKA_BOOTSTRAP, ...) are used as they are.
 */
public final class StackClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackSettings settings;

    public StackClient(StackSettings settings) {
        this.settings = settings;
    }

    /** The supervisor's status text, or empty when no supervisor answers. */
    public Optional<String> status() {
        try {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(control("/status"))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Makes sure the given servers answer and returns their endpoints; the calling process holds a
     * lease so the supervisor stays up while it lives.
     */
    public Endpoints ensure(Set<ServerKind> kinds, Duration idleExit)
            throws IOException, InterruptedException {
        Endpoints external = new Endpoints();
        List<ServerKind> wanted = new ArrayList<>();
        for (ServerKind k : kinds) {
            if (settings.external().containsKey(k)) {
                external = external.merge(settings.external().get(k));
            } else {
                wanted.add(k);
            }
        }
        if (wanted.isEmpty()) {
            return external;
        }
        String servers = wanted.stream().map(ServerKind::id).collect(Collectors.joining(","));
        for (int attempt = 1; ; attempt++) {
            if (status().isEmpty()) {
                startSupervisor(idleExit);
            }
            HttpResponse<String> r = requestEnsure(servers);
            if (r.statusCode() == 503 && attempt < 3) {
                // it was stopping for want of clients: wait until it is gone, then start anew
                awaitGone(Duration.ofMinutes(2));
                continue;
            }
            Endpoints answer = Endpoints.fromPropertiesText(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        "the stack supervisor could not start "
                                + servers
                                + ": "
                                + answer.find("error").orElse(r.body())
                                + " (its log: "
                                + settings.home().resolve("supervisor.log")
                                + ")");
            }
            return answer.merge(external);
        }
    }

    private HttpResponse<String> requestEnsure(String servers)
            throws IOException, InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(
                                control(
                                        "/ensure?servers="
                                                + servers
                                                + "&lease="
                                                + ProcessHandle.current().pid()))
                        .timeout(Duration.ofMinutes(6))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private void awaitGone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** Asks the supervisor to stop its servers and waits until it is gone. */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        Optional<String> st = status();
        if (st.isEmpty()) {
            return false;
        }
        long pid = Long.parseLong(Endpoints.fromPropertiesText(st.get()).get("supervisor.pid"));
        try {
            HTTP.send(
                    HttpRequest.newBuilder(control("/shutdown"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // it may close the connection while stopping
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            try {
                h.get()
                        .onExit()
                        .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException
                    | java.util.concurrent.TimeoutException e) {
                return false;
            }
        }
        return true;
    }

    private void startSupervisor(Duration idleExit) throws IOException, InterruptedException {
        Path home = settings.home();
        Files.createDirectories(home);
        // one starter at a time across processes: the others wait on the lock, then find it running
        try (FileChannel ch =
                        FileChannel.open(
                                // one lock per control port for the whole machine, whatever the
                                // home
                                Path.of(
                                        System.getProperty("java.io.tmpdir"),
                                        "fx-stack-" + settings.controlPort() + ".lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            if (status().isPresent()) {
                return;
            }
            List<String> cmd =
                    List.of(
                            ChildProcess.javaExecutable(),
                            "-Xmx256m",
                            "-Dfx.root=" + ProjectRoot.find(),
                            "-cp",
                            classpath(),
                            LocalStackMain.class.getName(),
                            "up",
                            "--servers=",
                            "--idle-exit=" + idleExit.toSeconds());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("FX_HOME", home.toString());
            pb.environment().put("FX_DIST", settings.dist().toString());
            pb.environment().put("FX_STACK_CONTROL_PORT", Integer.toString(settings.controlPort()));
            pb.redirectErrorStream(true);
            pb.redirectOutput(
                    ProcessBuilder.Redirect.appendTo(home.resolve("supervisor.log").toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (status().isEmpty()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            "the stack supervisor exited with code "
                                    + p.exitValue()
                                    + ":\n"
                                    + ChildProcess.tail(home.resolve("supervisor.log"), 30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the stack supervisor did not answer on port "
                                    + settings.controlPort()
                                    + " within 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * This JVM's classpath as real entries: surefire may run tests from a manifest-only jar that is
     * deleted when the tests end, while the supervisor lives on.
     */
    static String classpath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    String cp =
                            jar.getManifest() == null
                                    ? null
                                    : jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (cp != null && p.getFileName().toString().startsWith("surefirebooter")) {
                        for (String u : cp.trim().split("\\s+")) {
                            entries.add(
                                    Path.of(URI.create(u.startsWith("file:") ? u : "file:" + u))
                                            .toString());
                        }
                        continue;
                    }
                }
            }
            entries.add(e);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private URI control(String path) {
        return URI.create("http://127.0.0.1:" + settings.controlPort() + path);
    }
}
