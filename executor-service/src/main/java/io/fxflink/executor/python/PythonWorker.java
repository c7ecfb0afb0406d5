package io.fxflink.executor.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.context.PlatformCallException;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm Python worker process (see {@code fx_worker.py}): runs one step at a time in a forked
 * child with its own process group; a child whose step ended cleanly may stay warm for the next
 * step of the same package. Not thread-safe: the pool hands it to one caller.
 */
final class PythonWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorker.class);
    private static final long HELLO_TIMEOUT_MS = 15_000;

    /** The worker enforces the step timeout itself; this is the backstop if it cannot. */
    private static final long WATCHDOG_GRACE_MS = 5_000;

    private final String id;
    private final Process process;

    /** The only project (and network choice) whose steps this worker runs, see the pool. */
    private final String tenant;

    /** The worker's directory, where its children's HOME/TMPDIR are (see fx_worker.py). */
    private final Path filesDir;

    private final FrameChannel channel;
    private final ObjectMapper json;
    private final StringBuilder stderrTail = new StringBuilder();
    private int runs;
    private volatile boolean broken;

    /** The packages whose children this worker keeps warm, see {@code fx_worker.py}. */
    private volatile Set<String> warmFor = Set.of();

    private PythonWorker(
            String id, Process process, ObjectMapper json, Path homeDir, String tenant) {
        this.id = id;
        this.process = process;
        this.tenant = tenant;
        this.filesDir = homeDir.resolve("w" + process.pid());
        this.json = json;
        this.channel = new FrameChannel(process.getInputStream(), process.getOutputStream(), json);
        Thread t = new Thread(this::drainStderr, "fx-python-stderr-" + id);
        t.setDaemon(true);
        t.start();
    }

    static PythonWorker start(
            String id,
            PythonRuntime runtime,
            Path workDir,
            ObjectMapper json,
            ScheduledExecutorService timers,
            String tenant,
            boolean network)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(runtime.command(network));
        pb.environment().clear();
        pb.environment().putAll(runtime.environment());
        pb.directory(workDir.toFile());
        Process process = pb.start();
        PythonWorker worker = new PythonWorker(id, process, json, runtime.homeDir(), tenant);
        AtomicBoolean done = new AtomicBoolean();
        ScheduledFuture<?> watchdog =
                timers.schedule(
                        () -> {
                            if (!done.get()) {
                                process.destroyForcibly();
                            }
                        },
                        HELLO_TIMEOUT_MS,
                        TimeUnit.MILLISECONDS);
        try {
            ObjectNode hello = worker.channel.receive();
            if (!"hello".equals(hello.path("op").asText())) {
                throw new IOException("worker " + id + " did not say hello: " + hello);
            }
        } catch (IOException e) {
            worker.close();
            throw new IOException(
                    "python worker "
                            + id
                            + " did not start ("
                            + runtime.python()
                            + "): "
                            + e.getMessage()
                            + worker.stderrSuffix(),
                    e);
        } finally {
            done.set(true);
            watchdog.cancel(false);
        }
        return worker;
    }

    /**
     * @param reuseKey the package's identity: the worker may keep the step's child warm for the
     *     next step with the same key (null: a fresh child, not kept)
     */
    String tenant() {
        return tenant;
    }

    StepOutcome run(
            Path packageDir,
            String reuseKey,
            String step,
            StepInput input,
            StepCallbacks callbacks,
            long maxOutputBytes,
            int memoryMb,
            int maxWarm,
            ScheduledExecutorService timers) {
        runs++;
        warmFor = Set.of(); // until the worker says which children it kept
        ObjectNode req = json.createObjectNode();
        req.put("op", "run");
        req.put("dir", packageDir.toString());
        if (reuseKey != null) {
            req.put("reuse_key", reuseKey);
            req.put("max_warm", maxWarm);
        }
        req.put("step", step);
        req.put("timeout_ms", input.timeoutMs());
        req.put("max_output_bytes", maxOutputBytes);
        req.put("memory_mb", memoryMb);
        req.put("execution_id", input.executionId());
        req.put("service", input.service());
        req.put("service_version", input.serviceVersion());
        req.put("package_id", input.packageId());
        req.put("attempt", input.attempt());
        req.set("params", input.params());
        req.set("trigger_event", input.triggerEvent());
        AtomicBoolean finished = new AtomicBoolean();
        ScheduledFuture<?> watchdog =
                timers.schedule(
                        () -> {
                            if (!finished.get()) {
                                LOG.warn(
                                        "python worker {} did not end step {} of execution {} in"
                                                + " time; killing it",
                                        id,
                                        step,
                                        input.executionId());
                                broken = true;
                                process.destroyForcibly();
                            }
                        },
                        input.timeoutMs() + WATCHDOG_GRACE_MS,
                        TimeUnit.MILLISECONDS);
        StringBuilder errors = new StringBuilder();
        try {
            channel.send(req);
            while (true) {
                ObjectNode msg = channel.receive();
                switch (msg.path("op").asText()) {
                    case "log" ->
                            callbacks.log(
                                    level(msg.path("level").asText()),
                                    msg.path("stream").asText("stdout"),
                                    msg.path("message").asText(""),
                                    msg.path("truncated").asBoolean(false));
                    case "call" -> reply(msg, callbacks);
                    case "error" -> {
                        if (errors.length() < 16 * 1024) {
                            errors.append(msg.path("message").asText()).append('\n');
                        }
                    }
                    case "done" -> {
                        Set<String> kept = new HashSet<>();
                        msg.path("warm").forEach(k -> kept.add(k.asText()));
                        warmFor = kept;
                        return outcome(msg, errors, input.timeoutMs());
                    }
                    default ->
                            throw new FrameChannel.ProtocolException(
                                    "unexpected op '" + msg.path("op").asText() + "'");
                }
            }
        } catch (IOException e) {
            broken = true;
            process.destroyForcibly();
            if (finished.get() || !process.isAlive()) {
                return StepOutcome.failed(
                        "the python worker died during the step: "
                                + e.getMessage()
                                + stderrSuffix());
            }
            return StepOutcome.failed("python worker failure: " + e.getMessage());
        } finally {
            finished.set(true);
            watchdog.cancel(false);
        }
    }

    private void reply(ObjectNode msg, StepCallbacks callbacks) throws IOException {
        ObjectNode reply = json.createObjectNode();
        reply.put("op", "reply");
        reply.set("id", msg.get("id"));
        try {
            Object result = callbacks.call(msg.path("method").asText(), msg.path("args"));
            reply.put("ok", true);
            reply.set("result", json.valueToTree(result));
        } catch (PlatformCallException e) {
            reply.put("ok", false);
            reply.put("error", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("platform call {} of worker {} failed", msg.path("method").asText(), id, e);
            reply.put("ok", false);
            reply.put("error", "internal error: " + e.getMessage());
        }
        channel.send(reply);
    }

    private StepOutcome outcome(ObjectNode done, StringBuilder errors, long timeoutMs) {
        String status = done.path("status").asText();
        int exit = done.path("exit_code").asInt();
        String err = errors.toString().strip();
        return switch (status) {
            case "ok" -> StepOutcome.succeeded();
            case "timeout" -> {
                broken = true; // recycle: the worker's state after a kill is not trusted
                yield StepOutcome.timedOut(
                        "the step did not finish within " + timeoutMs + " ms and was killed");
            }
            case "killed" -> {
                broken = true;
                yield StepOutcome.failed(
                        "the step was killed by signal "
                                + (-exit)
                                + (exit == -9 ? " (e.g. its memory limit)" : "")
                                + (err.isEmpty() ? "" : ": " + err));
            }
            default -> {
                // the step failed in a forked child: the worker itself is untouched, keep it
                yield StepOutcome.failed(err.isEmpty() ? "the step exited with code " + exit : err);
            }
        };
    }

    private static LogLevel level(String s) {
        return switch (s) {
            case "DEBUG" -> LogLevel.DEBUG;
            case "WARN", "WARNING" -> LogLevel.WARN;
            case "ERROR", "CRITICAL" -> LogLevel.ERROR;
            case "TRACE" -> LogLevel.TRACE;
            default -> LogLevel.INFO;
        };
    }

    boolean healthy() {
        return !broken && process.isAlive();
    }

    int runs() {
        return runs;
    }

    /** How many packages this worker keeps a warm child for. */
    int warmChildren() {
        return warmFor.size();
    }

    /** Whether the worker keeps a warm child for this package. */
    boolean warmFor(String reuseKey) {
        return reuseKey != null && warmFor.contains(reuseKey);
    }

    String id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    private void drainStderr() {
        byte[] buf = new byte[4096];
        try (var err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) > 0) {
                synchronized (stderrTail) {
                    stderrTail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (stderrTail.length() > 4096) {
                        stderrTail.delete(0, stderrTail.length() - 4096);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private String stderrSuffix() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; worker stderr: " + stderrTail.toString().strip();
        }
    }

    @Override
    public void close() {
        // the worker is a session leader: kill its descendants too, then the worker
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                LOG.warn("python worker {} did not stop; killing it", id);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        removeFiles();
    }

    /** What the worker's steps left in their HOME/TMPDIR, whatever way the worker ended. */
    private void removeFiles() {
        if (!Files.exists(filesDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(filesDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("python worker {}: could not remove {}", id, filesDir, e);
        }
    }
}
