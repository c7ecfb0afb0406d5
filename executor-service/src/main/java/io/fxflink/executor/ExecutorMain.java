package io.fxflink.executor;

import java.util.concurrent.CountDownLatch;
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
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        app.close();
                                    } catch (Exception e) {
                                        LOG.warn("error while stopping the executor", e);
                                    }
                                    stopped.countDown();
                                }));
        stopped.await();
    }
}
