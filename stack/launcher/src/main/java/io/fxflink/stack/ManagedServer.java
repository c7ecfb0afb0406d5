package io.fxflink.stack;

import java.time.Duration;

/** One server of the local stack, run as a real process on loopback. */
public interface ManagedServer {
    ServerKind kind();

    /** Starts the server and returns once it answers requests. */
    Endpoints start(Duration timeout) throws Exception;

    /**
     * The endpoints this server answers on, also before {@link #start} (to adopt a running one).
     */
    Endpoints endpoints();

    /** Whether something already answers on this server's endpoints. */
    boolean answers();

    /** Operating-system pid of the server process, or -1 when not started by us. */
    long pid();

    /** Stops the server and every process it started; returns when they are gone. */
    void stop();
}
