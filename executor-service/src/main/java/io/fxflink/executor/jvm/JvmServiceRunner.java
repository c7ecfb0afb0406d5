package io.fxflink.executor.jvm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.api.FxService;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.context.StepRunner;
import io.fxflink.executor.pkg.PackageException;
import io.fxflink.executor.pkg.ServicePackage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JVM services ({@link FxService} classes from the package's jars) in this process: each
 * package in its own class loader, at most {@code threads} at a time, each under its step timeout.
 * At the timeout the service thread is interrupted; if it does not stop within {@code
 * abandonGraceMs} it is abandoned (counted, reported by {@link #healthy()}) and the package's class
 * loader is replaced, so the next execution starts from fresh classes.
 */
public final class JvmServiceRunner implements StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JvmServiceRunner.class);
    private static final int MAX_TRACE_CHARS = 8 * 1024;
    private static final int RUNNING = 0;
    private static final int ENDED = 1;
    private static final int ABANDONED = 2;

    /**
     * @param threads services running at the same time
     * @param abandonGraceMs how long an interrupted service may take to stop
     * @param maxAbandoned abandoned threads still running above which the executor reports DOWN
     * @param maxLoaders package class loaders kept
     */
    public record Settings(int threads, long abandonGraceMs, int maxAbandoned, int maxLoaders) {}

    private final Settings settings;
    private final ObjectMapper json;
    private final ServiceClassLoaders loaders;
    private final Semaphore slots;
    private final ExecutorService serviceThreads;
    private final AtomicInteger abandonedAlive = new AtomicInteger();
    private final AtomicLong abandonedTotal = new AtomicLong();
    private final AtomicInteger threadIds = new AtomicInteger();

    public JvmServiceRunner(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.loaders = new ServiceClassLoaders(settings.maxLoaders());
        this.slots = new Semaphore(settings.threads());
        // cached: a thread that had to be abandoned does not reduce the capacity of the others
        this.serviceThreads =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t =
                                    new Thread(r, "fx-jvm-service-" + threadIds.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public StepOutcome run(
            ServicePackage pkg, String step, StepInput input, StepCallbacks callbacks)
            throws InterruptedException, PackageException {
        ServiceClassLoaders.Loaded loaded = loaders.loaderFor(pkg);
        Constructor<? extends FxService> constructor = loaders.service(loaded, step);
        JvmContext ctx = new JvmContext(input, callbacks, json);
        slots.acquire();
        try {
            return runBounded(loaded, constructor, step, input, ctx, callbacks);
        } finally {
            slots.release();
        }
    }

    private StepOutcome runBounded(
            ServiceClassLoaders.Loaded loaded,
            Constructor<? extends FxService> constructor,
            String step,
            StepInput input,
            JvmContext ctx,
            StepCallbacks callbacks)
            throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger state = new AtomicInteger(RUNNING);
        Future<Throwable> future =
                serviceThreads.submit(
                        () -> {
                            Thread me = Thread.currentThread();
                            ClassLoader before = me.getContextClassLoader();
                            me.setContextClassLoader(loaded.loader);
                            try {
                                constructor.newInstance().run(ctx);
                                return null;
                            } catch (InvocationTargetException e) {
                                return e.getCause();
                            } catch (Throwable e) { // the service's failure, whatever it is
                                return e;
                            } finally {
                                me.setContextClassLoader(before);
                                Thread.interrupted(); // do not leak an interrupt into the pool
                                if (!state.compareAndSet(RUNNING, ENDED)) {
                                    abandonedAlive.decrementAndGet(); // an abandoned one returned
                                }
                                ended.countDown();
                            }
                        });
        Throwable failure;
        try {
            failure = future.get(input.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return timedOut(loaded, step, input, future, ended, state);
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e.getCause();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } finally {
            ctx.close();
        }
        if (failure == null) {
            return StepOutcome.succeeded();
        }
        String trace = trace(failure);
        callbacks.log(LogLevel.ERROR, "stderr", trace, trace.length() >= MAX_TRACE_CHARS);
        return StepOutcome.failed(failure.toString());
    }

    private StepOutcome timedOut(
            ServiceClassLoaders.Loaded loaded,
            String step,
            StepInput input,
            Future<Throwable> future,
            CountDownLatch ended,
            AtomicInteger state)
            throws InterruptedException {
        future.cancel(true);
        if (ended.await(settings.abandonGraceMs(), TimeUnit.MILLISECONDS)
                || !state.compareAndSet(RUNNING, ABANDONED)) {
            return StepOutcome.timedOut(
                    "the service did not finish within "
                            + input.timeoutMs()
                            + " ms and was interrupted");
        }
        abandonedTotal.incrementAndGet();
        abandonedAlive.incrementAndGet(); // counted down again if the thread ever returns
        LOG.warn(
                "service {} ({}) of execution {} ignored the interrupt for {} ms; its thread is"
                        + " abandoned and the package's class loader replaced",
                step,
                input.service(),
                input.executionId(),
                settings.abandonGraceMs());
        loaders.recycle(loaded);
        return StepOutcome.timedOut(
                "the service did not finish within "
                        + input.timeoutMs()
                        + " ms and ignored the interrupt; its thread was abandoned");
    }

    private static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString().strip();
        return s.length() <= MAX_TRACE_CHARS ? s : s.substring(0, MAX_TRACE_CHARS);
    }

    /** False when too many abandoned service threads are still running (restart the process). */
    public boolean healthy() {
        return abandonedAlive.get() <= settings.maxAbandoned();
    }

    public int abandonedAlive() {
        return abandonedAlive.get();
    }

    public long abandonedTotal() {
        return abandonedTotal.get();
    }

    public int loadedPackages() {
        return loaders.size();
    }

    @Override
    public int idle() {
        return slots.availablePermits();
    }

    @Override
    public int capacity() {
        return settings.threads();
    }

    @Override
    public void close() {
        serviceThreads.shutdownNow();
        loaders.close();
    }
}
