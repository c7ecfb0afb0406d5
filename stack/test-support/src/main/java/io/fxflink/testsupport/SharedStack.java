package io.fxflink.testsupport;

import io.fxflink.stack.Endpoints;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.stack.ServerKind;
import io.fxflink.stack.StackClient;
import io.fxflink.stack.StackSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The servers every test JVM of a build shares. The first JVM that needs a server starts a stack
 * supervisor in the background (working folder {@code .stack/test}); later JVMs, in this module or
 * the next ones, find it on its control port. It stops its servers once no test JVM has been alive
 * for a while. A stack started by the user ({@code ./fx up}) or servers given through
 * FX_KAFKA_BOOTSTRAP and friends are used as they are.
 */
public final class SharedStack {
    /** Long enough to outlive the compile step between two modules of one build. */
    static final Duration IDLE_EXIT = Duration.ofSeconds(300);

    private static Endpoints known = new Endpoints();
    private static final Set<ServerKind> ensured = EnumSet.noneOf(ServerKind.class);

    private SharedStack() {}

    public static synchronized Endpoints ensure(Set<ServerKind> kinds) {
        if (ensured.containsAll(kinds)) {
            return known;
        }
        StackSettings settings =
                StackSettings.fromEnvironment()
                        .withHome(ProjectRoot.find().resolve(".stack").resolve("test"));
        try {
            known = known.merge(new StackClient(settings).ensure(kinds, IDLE_EXIT));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "tests need real servers "
                            + kinds
                            + " and they could not be started: "
                            + e.getMessage()
                            + " (or point the tests at running ones with FX_KAFKA_BOOTSTRAP, FX_ES_URL,"
                            + " FX_S3_ENDPOINT, FX_PG_URL)",
                    e);
        }
        ensured.addAll(kinds);
        return known;
    }
}
