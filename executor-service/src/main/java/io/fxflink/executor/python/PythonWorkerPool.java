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
 *
 * <p>Workers are partitioned by tenant (the execution's project and whether its package asks for
 * network): a worker's sandbox is made for one tenant when it starts, and it never runs another
 * tenant's step. A step whose tenant has no idle worker takes the idle worker with the fewest warm
 * children, which is stopped and replaced (synchronously) by one of the step's tenant.
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
            // fail fast at start-up if Python (or its sandbox) cannot run
            idle.add(newWorker(DEFAULT_TENANT, false));
        }
        LOG.info("python pool ready: {} warm workers ({})", settings.size(), runtime.python());
    }

    private static final String DEFAULT_TENANT =
            tenant(io.fxflink.executor.context.ExecutionCalls.DEFAULT_PROJECT, false);

    static String tenant(String project, boolean network) {
        return (network ? "net:" : "nonet:") + project;
    }

    private PythonWorker newWorker(String tenant, boolean network) throws IOException {
        return PythonWorker.start(
                "py-" + ids.incrementAndGet(), runtime, workDir, json, timers, tenant, network);
    }

    @Override
    public StepOutcome run(
            ServicePackage pkg, String step, StepInput input, StepCallbacks callbacks)
            throws InterruptedException {
        String reuseKey =
                settings.warmPerWorker() > 0 ? pkg.sha256() + ":" + pkg.directory() : null;
        boolean network = pkg.manifest().network();
        String tenant = tenant(input.project(), network);
        PythonWorker worker = take(tenant, reuseKey);
        if (!worker.tenant().equals(tenant)) {
            // another tenant's worker: never reused across projects, replaced by one of this one
            worker.close();
            restarts.incrementAndGet();
            try {
                worker = newWorker(tenant, network);
            } catch (IOException e) {
                starter.execute(() -> replace(DEFAULT_TENANT, false));
                return StepOutcome.failed("cannot start a python worker: " + e.getMessage());
            }
        }
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
     * The idle worker of this tenant that keeps this package's child warm; else the tenant's one
     * that keeps the fewest (the longest idle of those), so that warm children of other packages
     * are evicted last; else (no idle worker of the tenant) the idle worker with the fewest warm
     * children, for the caller to replace.
     */
    private PythonWorker take(String tenant, String reuseKey) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (idle.isEmpty()) {
                available.await();
            }
            PythonWorker coldest = null;
            PythonWorker coldestOther = null;
            for (PythonWorker w : idle) {
                if (!w.tenant().equals(tenant)) {
                    if (coldestOther == null || w.warmChildren() < coldestOther.warmChildren()) {
                        coldestOther = w;
                    }
                    continue;
                }
                if (w.warmFor(reuseKey)) {
                    idle.remove(w);
                    return w;
                }
                if (coldest == null || w.warmChildren() < coldest.warmChildren()) {
                    coldest = w;
                }
            }
            PythonWorker chosen = coldest != null ? coldest : coldestOther;
            idle.remove(chosen);
            return chosen;
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
        String tenant = worker.tenant();
        boolean network = tenant.startsWith("net:");
        starter.execute(() -> replace(tenant, network));
    }

    private void replace(String tenant, boolean network) {
        long backoff = 100;
        while (!closed) {
            try {
                addIdle(newWorker(tenant, network));
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
