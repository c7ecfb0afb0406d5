package io.fxflink.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a {@link LocalStack} and answers on a loopback control port, so several processes (each
 * module's test JVM, the platform's own processes, {@code fx-stack status}) share one set of
 * servers. Clients take a lease with their pid; with an idle timeout the supervisor stops the
 * servers and exits once no leaseholder has been alive for that long.
 *
 * <p>Control API: {@code GET /status}, {@code POST /ensure?servers=kafka,postgres&lease=PID},
 * {@code POST /shutdown}. Answers are endpoint properties (see {@link Endpoints}).
 */
public final class StackSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StackSupervisor.class);

    private final LocalStack stack;
    private final Duration idleExit;
    private final Map<Long, ProcessHandle> leases = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ScheduledExecutorService reaper =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "stack-idle-reaper");
                        t.setDaemon(true);
                        return t;
                    });
    private HttpServer http;
    private final Object reaperLock = new Object();
    private long idleSince = System.nanoTime();
    private int busy;
    private boolean closing;

    public StackSupervisor(LocalStack stack, Duration idleExit) {
        this.stack = stack;
        this.idleExit = idleExit;
    }

    public void serve() throws IOException {
        int port = stack.settings().controlPort();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.createContext("/status", ex -> answer(ex, 200, statusText()));
        http.createContext("/ensure", this::ensure);
        http.createContext(
                "/shutdown",
                ex -> {
                    answer(ex, 200, "stopping\n");
                    new Thread(this::close, "stack-shutdown").start();
                });
        http.start();
        if (!idleExit.isZero()) {
            reaper.scheduleWithFixedDelay(this::reapIdle, 1, 1, TimeUnit.SECONDS);
        }
        LOG.info("stack supervisor on 127.0.0.1:{} (home {})", port, stack.settings().home());
    }

    private String statusText() {
        StringBuilder sb = new StringBuilder(stack.endpoints().toPropertiesText());
        sb.append("supervisor.pid=").append(ProcessHandle.current().pid()).append('\n');
        sb.append("supervisor.home=").append(stack.settings().home()).append('\n');
        for (LocalStack.ServerReport r : stack.reports()) {
            sb.append("server.")
                    .append(r.kind().id())
                    .append('=')
                    .append(r.describe().trim())
                    .append('\n');
        }
        return sb.toString();
    }

    private void ensure(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        try {
            Set<ServerKind> kinds =
                    Optional.ofNullable(q.get("servers"))
                            .map(ServerKind::parseList)
                            .orElse(EnumSet.allOf(ServerKind.class));
            // the lease is taken under the reaper's lock: a supervisor never stops under a new
            // client
            synchronized (reaperLock) {
                if (closing) {
                    answer(ex, 503, "error=the stack is stopping; start a new one\n");
                    return;
                }
                Optional.ofNullable(q.get("lease")).map(Long::parseLong).ifPresent(this::lease);
                busy++;
            }
            try {
                answer(ex, 200, stack.ensure(kinds).toPropertiesText());
            } finally {
                synchronized (reaperLock) {
                    busy--;
                    idleSince = System.nanoTime();
                }
            }
        } catch (IllegalArgumentException e) {
            answer(ex, 400, "error=" + e.getMessage() + "\n");
        } catch (Exception e) {
            LOG.error("ensuring servers {} failed", q.get("servers"), e);
            answer(ex, 500, "error=" + e.getMessage().replace("\n", "\\n") + "\n");
        }
    }

    private void lease(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> leases.put(pid, h));
    }

    private void reapIdle() {
        synchronized (reaperLock) {
            leases.values().removeIf(h -> !h.isAlive());
            if (!leases.isEmpty() || busy > 0) {
                idleSince = System.nanoTime();
                return;
            }
            if (System.nanoTime() - idleSince <= idleExit.toNanos()) {
                return;
            }
            closing = true;
        }
        LOG.info("no client for {} s: stopping the stack", idleExit.toSeconds());
        close();
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        reaper.shutdownNow();
        if (http != null) {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
        stack.close();
        stopped.countDown();
    }

    private static void answer(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int i = pair.indexOf('=');
            if (i > 0) {
                m.put(
                        URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }
}
