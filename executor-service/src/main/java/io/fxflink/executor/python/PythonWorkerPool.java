package io.fxflink.executor.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.context.StepRunner;
import io.fxflink.executor.pkg.ServicePackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of warm Python workers, started ahead of demand. A worker is replaced after a
 * timeout, a kill, a protocol error, or {@code maxRunsPerWorker} steps; replacements start in the
 * background, so a caller waits only when every worker is busy.
 */
public final class PythonWorkerPool implements StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorkerPool.class);

    public record Settings(int size, int maxRunsPerWorker, long maxOutputBytes, int memoryMb) {}

    private final Settings settings;
    private final PythonRuntime runtime;
    private final Path workDir;
    private final ObjectMapper json;
    private final ScheduledExecutorService timers;
    private final BlockingQueue<PythonWorker> idle = new LinkedBlockingQueue<>();
    private final ExecutorService starter =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "fx-python-starter");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong restarts = new AtomicLong();
    private volatile boolean closed;

    public PythonWorkerPool(
            Settings settings,
            PythonRuntime runtime,
            Path workDir,
            ObjectMapper json,
            ScheduledExecutorService timers)
            throws IOException {
        this.settings = settings;
        this.runtime = runtime;
        this.workDir = workDir;
        this.json = json;
        this.timers = timers;
        for (int i = 0; i < settings.size(); i++) {
            idle.add(newWorker()); // fail fast at start-up if Python cannot run
        }
        LOG.info("python pool ready: {} warm workers ({})", settings.size(), runtime.python());
    }

    private PythonWorker newWorker() throws IOException {
        return PythonWorker.start("py-" + ids.incrementAndGet(), runtime, workDir, json, timers);
    }

    @Override
    public StepOutcome run(
            ServicePackage pkg, String step, StepInput input, StepCallbacks callbacks)
            throws InterruptedException {
        PythonWorker worker = idle.take();
        StepOutcome outcome;
        try {
            outcome =
                    worker.run(
                            pkg.directory(),
                            step,
                            input,
                            callbacks,
                            settings.maxOutputBytes(),
                            settings.memoryMb(),
                            timers);
        } finally {
            giveBack(worker);
        }
        return outcome;
    }

    private void giveBack(PythonWorker worker) {
        if (!closed && worker.healthy() && worker.runs() < settings.maxRunsPerWorker()) {
            idle.add(worker);
            return;
        }
        worker.close();
        if (closed) {
            return;
        }
        restarts.incrementAndGet();
        starter.execute(this::replace);
    }

    private void replace() {
        long backoff = 100;
        while (!closed) {
            try {
                idle.add(newWorker());
                return;
            } catch (IOException e) {
                LOG.warn("cannot start a python worker, retrying in {} ms", backoff, e);
                try {
                    Thread.sleep(backoff); // back-off between restarts of a failing interpreter
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    @Override
    public int idle() {
        return idle.size();
    }

    @Override
    public int capacity() {
        return settings.size();
    }

    public long restarts() {
        return restarts.get();
    }

    @Override
    public void close() {
        closed = true;
        starter.shutdownNow();
        PythonWorker w;
        while ((w = idle.poll()) != null) {
            w.close();
        }
    }
}
