package io.fxflink.executor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the executor from environment variables (see README) and runs until stopped. */
public final class ExecutorMain {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorMain.class);

    private ExecutorMain() {}

    public static void main(String[] args) throws Exception {
        ExecutorOptions options;
        try {
            options = ExecutorOptions.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ExecutorApp app = new ExecutorApp(options).start(System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stopping.set(true);
                                    try {
                                        app.close();
                                    } catch (Exception e) {
                                        LOG.warn("error while stopping the executor", e);
                                    }
                                    stopped.countDown();
                                }));
        app.awaitPollLoopEnd();
        if (!stopping.get()) {
            // a live process that consumes nothing would hold its partitions' work hostage: exit,
            // so the group rebalances and a supervisor starts a new executor (in-flight
            // executions are re-delivered and run again with the next attempt number)
            LOG.error("the executions poll loop ended unexpectedly: exiting with status 70");
            System.exit(70);
        }
        stopped.await();
    }
}
