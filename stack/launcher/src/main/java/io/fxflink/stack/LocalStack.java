package io.fxflink.stack;

import io.fxflink.stack.internal.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's servers on loopback. Each one is, in this order of preference: given by the user
 * (external), already answering on its port (adopted, never stopped by us), or started here.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** What happened to one server: shown to the user and kept for {@code status}. */
    public record ServerReport(
            ServerKind kind, String origin, long pid, long startupMillis, long residentBytes) {
        public String describe() {
            return switch (origin) {
                case "started" ->
                        String.format(
                                "%-13s started in %5d ms, pid %d, %d MB resident",
                                kind.id(), startupMillis, pid, residentBytes / (1024 * 1024));
                default -> String.format("%-13s %s", kind.id(), origin);
            };
        }
    }

    private final StackSettings settings;
    private final Consumer<String> progress;
    private final Map<ServerKind, ManagedServer> started = new EnumMap<>(ServerKind.class);
    private final Map<ServerKind, ServerReport> reports = new EnumMap<>(ServerKind.class);
    private Endpoints endpoints = new Endpoints();

    public LocalStack(StackSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public StackSettings settings() {
        return settings;
    }

    /** Makes sure the given servers answer; returns the endpoints of all known servers. */
    public synchronized Endpoints ensure(Set<ServerKind> kinds) throws Exception {
        List<ServerKind> order = new ArrayList<>(kinds);
        Collections.sort(order);
        for (ServerKind kind : order) {
            if (reports.containsKey(kind)) {
                continue;
            }
            Endpoints external = settings.external().get(kind);
            if (external != null) {
                endpoints = endpoints.merge(external);
                report(new ServerReport(kind, "external " + external, -1, 0, 0));
                continue;
            }
            ManagedServer server = create(kind);
            if (server.answers()) {
                endpoints = endpoints.merge(server.endpoints());
                report(
                        new ServerReport(
                                kind,
                                "already running at " + server.endpoints() + " (adopted)",
                                -1,
                                0,
                                0));
                continue;
            }
            progress.accept("starting " + kind.id() + " ...");
            long t0 = System.nanoTime();
            try {
                endpoints = endpoints.merge(server.start(START_TIMEOUT));
            } catch (Exception e) {
                server.stop();
                throw new IllegalStateException(
                        "could not start " + kind.id() + ": " + e.getMessage(), e);
            }
            started.put(kind, server);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            report(
                    new ServerReport(
                            kind,
                            "started",
                            server.pid(),
                            ms,
                            ChildProcess.residentBytesOfTree(server.pid())));
        }
        return endpoints;
    }

    private void report(ServerReport r) {
        reports.put(r.kind(), r);
        progress.accept(r.describe());
    }

    public synchronized Endpoints endpoints() {
        return endpoints;
    }

    /** Current reports, with resident memory measured now. */
    public synchronized List<ServerReport> reports() {
        List<ServerReport> out = new ArrayList<>();
        for (ServerReport r : reports.values()) {
            out.add(
                    r.pid() > 0
                            ? new ServerReport(
                                    r.kind(),
                                    r.origin(),
                                    r.pid(),
                                    r.startupMillis(),
                                    ChildProcess.residentBytesOfTree(r.pid()))
                            : r);
        }
        return out;
    }

    private ManagedServer create(ServerKind kind) {
        return switch (kind) {
            case KAFKA -> new KafkaServer(settings);
            case ELASTICSEARCH -> new ElasticsearchServer(settings);
            case S3 -> new S3ProxyServer(settings);
            case POSTGRES -> new PostgresServer(settings);
        };
    }

    /**
     * Stops what this stack started, in reverse order; adopted and external servers are left alone.
     */
    @Override
    public synchronized void close() {
        List<ServerKind> order = new ArrayList<>(started.keySet());
        Collections.reverse(order);
        for (ServerKind kind : order) {
            long t0 = System.nanoTime();
            try {
                started.get(kind).stop();
                progress.accept(
                        String.format(
                                "stopped %-13s in %d ms",
                                kind.id(), (System.nanoTime() - t0) / 1_000_000));
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", kind.id(), e);
            }
        }
        started.clear();
        reports.clear();
        endpoints = new Endpoints();
    }
}
