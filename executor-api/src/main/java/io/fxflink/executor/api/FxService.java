package io.fxflink.executor.api;

/**
 * A JVM service: the class named by {@code "entrypoint"} in the package's {@code manifest.json}
 * ({@code "runtime": "jvm"}). The executor creates a new instance (public no-argument constructor)
 * for every execution and calls {@link #run}. Returning normally means success; any exception fails
 * the execution (and it is retried as the link or manifest says).
 *
 * <p>The service is interrupted when its timeout passes: long loops should check {@link
 * Thread#interrupted()} and blocking calls should let {@link InterruptedException} escape.
 */
@FunctionalInterface
public interface FxService {
    void run(FxContext ctx) throws Exception;
}
