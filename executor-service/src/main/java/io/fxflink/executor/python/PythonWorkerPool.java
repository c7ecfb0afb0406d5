package io.fxflink.executor.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.context.StepRunner;
import io.fxflink.executor.pkg.ServicePackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of warm Python workers, started ahead of demand. A worker is replaced after a
 * timeout, a kill, a protocol error, or {@code maxRunsPerWorker} steps; replacements start in the
 * background, so a caller waits only when every worker is busy. A step goes to the worker that
 * keeps its package's child warm when one is idle, so a busy service runs without a fork per step.
 */
public final class PythonWorkerPool implements StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorkerPool.class);

    /**
     * @param warmPerWorker how many packages a worker keeps a warm child for, to run their next
     *     steps without a fork; 0: a fresh child for every step
     */
    public record Settings(
            int size, int maxRunsPerWorker, int warmPerWorker, long maxOutputBytes, int memoryMb) {}

    private final Settings settings;
    private final PythonRuntime runtime;
    private final Path workDir;
    private final ObjectMapper json;
    private final ScheduledExecutorService timers;

    /** Idle workers, the longest idle first; guarded by {@code lock}. */
    private final ArrayDeque<PythonWorker> idle = new ArrayDeque<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
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
        String reuseKey =
                settings.warmPerWorker() > 0 ? pkg.sha256() + ":" + pkg.directory() : null;
        PythonWorker worker = take(reuseKey);
        StepOutcome outcome;
        try {
            outcome =
                    worker.run(
                            pkg.directory(),
                            reuseKey,
                            step,
                            input,
                            callbacks,
                            settings.maxOutputBytes(),
                            settings.memoryMb(),
                            settings.warmPerWorker(),
                            timers);
        } finally {
            giveBack(worker);
        }
        return outcome;
    }

    /**
     * The idle worker that keeps this package's child warm; else the one that keeps the fewest (the
     * longest idle of those), so that warm children of other packages are evicted last.
     */
    private PythonWorker take(String reuseKey) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (idle.isEmpty()) {
                available.await();
            }
            PythonWorker coldest = null;
            for (PythonWorker w : idle) {
                if (w.warmFor(reuseKey)) {
                    idle.remove(w);
                    return w;
                }
                if (coldest == null || w.warmChildren() < coldest.warmChildren()) {
                    coldest = w;
                }
            }
            idle.remove(coldest);
            return coldest;
        } finally {
            lock.unlock();
        }
    }

    private void addIdle(PythonWorker worker) {
        lock.lock();
        try {
            idle.addLast(worker);
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    private void giveBack(PythonWorker worker) {
        if (!closed && worker.healthy() && worker.runs() < settings.maxRunsPerWorker()) {
            addIdle(worker);
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
                addIdle(newWorker());
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
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            PythonWorker w;
            while ((w = idle.poll()) != null) {
                w.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
