package io.fxflink.e2e;

import static org.awaitility.Awaitility.await;

import io.fxflink.cli.FxCliRunner;
import io.fxflink.e2e.chain.ChainPackages;
import io.fxflink.stack.ProjectRoot;
import io.fxflink.testsupport.RealServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * End-to-end latency (bench/run suite "e2e"): the whole platform as {@code ./fx up} starts it, a
 * chain of two JVM services deployed with the CLI, and CloudEvents posted to {@code POST
 * /api/v1/events} at a steady rate (default 100/s). For each measured event: post → first service's
 * start, and post → the chain's end (the second service finished), from the executions table the
 * ops sink fills. A warm-up phase at the same rate is not counted. Every measured chain must
 * complete: an incomplete chain fails the run instead of leaving the percentiles.
 *
 * <pre>
 * ./mvnw -q -pl e2e -am install -DskipTests
 * java -cp "e2e/target/test-classes:e2e/target/classes:$(cat e2e/target/test-classpath.txt)" \
 *     io.fxflink.e2e.EndToEndLatencyBench [--smoke] [--rate 100] [--seconds 60] [--warmup-seconds 15]
 * </pre>
 */
public final class EndToEndLatencyBench {
    private static final Duration COMPLETION_DEADLINE = Duration.ofMinutes(3);
    private static final int SENDERS = 32;

    private final int rate;
    private final int seconds;
    private final int warmupSeconds;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger refused = new AtomicInteger();
    // POST round trips of the measured phase (µs): how long the ingress takes to answer 202
    private final Queue<Long> postMicros = new ConcurrentLinkedQueue<>();

    private EndToEndLatencyBench(int rate, int seconds, int warmupSeconds) {
        this.rate = rate;
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        boolean smoke = a.contains("--smoke");
        EndToEndLatencyBench bench =
                new EndToEndLatencyBench(
                        intArg(a, "--rate", 100),
                        intArg(a, "--seconds", smoke ? 5 : 60),
                        intArg(a, "--warmup-seconds", smoke ? 3 : 15));
        bench.run();
        // the platform's child processes are stopped by close(); nothing else keeps us alive
        System.exit(0);
    }

    private void run() throws Exception {
        RealServers servers = RealServers.all();
        RealServers.PgDatabase db = servers.newDatabase("benche2e");
        Path work = Files.createTempDirectory("fx-e2e-bench");
        System.out.println("starting the platform (as ./fx up does)");
        long upStart = System.nanoTime();
        try (LocalPlatform platform = LocalPlatform.start(servers.endpoints(), db.url())) {
            System.out.printf(
                    Locale.ROOT, "platform up in %.1f s%n", (System.nanoTime() - upStart) / 1e9);
            Map<String, String> cli = platform.cliEnv();
            FxCliRunner fx = new FxCliRunner(cli, ProjectRoot.find());
            for (Path service : ChainPackages.write(work)) {
                FxCliRunner.Result r = fx.run("deploy", service.toString());
                if (r.exitCode() != 0) {
                    throw new IllegalStateException("deploy " + service + " failed: " + r);
                }
            }
            URI events = URI.create(cli.get("FX_URL") + "/api/v1/events");
            String token = cli.get("FX_TOKEN");
            try (Connection c = db.connect()) {
                // the links reach the router through the outbox and fx.links: the first chain
                // that completes proves the whole path is ready
                Map<String, Long> probe = new ConcurrentHashMap<>();
                post(events, token, probe);
                awaitChains(c, probe);
                System.out.printf(
                        Locale.ROOT, "warm-up: %d s at %d events/s%n", warmupSeconds, rate);
                Map<String, Long> warmup = send(events, token, warmupSeconds);
                awaitChains(c, warmup);
                System.out.printf(Locale.ROOT, "measuring: %d s at %d events/s%n", seconds, rate);
                postMicros.clear();
                long sendStart = System.nanoTime();
                Map<String, Long> measured = send(events, token, seconds);
                double sentPerS = measured.size() / ((System.nanoTime() - sendStart) / 1e9);
                List<long[]> latencies = awaitChains(c, measured);
                report(latencies, sentPerS);
            }
        }
    }

    /**
     * Posts {@code rate} events per second for {@code secs} seconds; event id → post time (µs). A
     * pacer hands each event to a pool of senders (blocking HTTP calls, as most producers make
     * them), so a slow answer never delays the next event's post.
     */
    private Map<String, Long> send(URI events, String token, int secs) throws Exception {
        Map<String, Long> posted = new ConcurrentHashMap<>();
        int total = rate * secs;
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(total);
        try {
            pacer.scheduleAtFixedRate(
                    () -> {
                        if (sent.getAndIncrement() < total) {
                            senders.execute(
                                    () -> {
                                        post(events, token, posted);
                                        answered.countDown();
                                    });
                        }
                    },
                    0,
                    1_000_000 / rate,
                    TimeUnit.MICROSECONDS);
            if (!answered.await(secs + 60L, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        answered.getCount() + " of " + total + " posts did not finish in time");
            }
        } finally {
            pacer.shutdownNow();
            senders.shutdownNow();
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " events were refused by the manager");
        }
        return posted;
    }

    private void post(URI events, String token, Map<String, Long> posted) {
        String id = UUID.randomUUID().toString();
        HttpRequest request =
                HttpRequest.newBuilder(events)
                        .header("Authorization", "Bearer " + token)
                        .header("ce-specversion", "1.0")
                        .header("ce-id", id)
                        .header("ce-source", "/bench/e2e")
                        .header("ce-type", ChainPackages.START_TYPE)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                        .build();
        long start = epochMicros();
        posted.put(id, start);
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            postMicros.add(epochMicros() - start);
            if (r.statusCode() >= 300) {
                refused.incrementAndGet();
                System.err.println("POST refused: " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            refused.incrementAndGet();
            System.err.println("POST failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every chain has both executions SUCCEEDED; returns, per chain, {post → first
     * start, post → chain end} in µs. Fails at once on a failed execution, or after the deadline.
     */
    private static List<long[]> awaitChains(Connection c, Map<String, Long> posted) {
        AtomicReference<List<long[]>> complete = new AtomicReference<>(List.of());
        // the rows arrive through Kafka and the ops sink: poll, as a user's dashboard would
        await("every chain of " + posted.size() + " completed")
                .atMost(COMPLETION_DEADLINE)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            complete.set(completedChains(c, posted));
                            return complete.get().size() == posted.size();
                        });
        return complete.get();
    }

    private static List<long[]> completedChains(Connection c, Map<String, Long> posted)
            throws SQLException {
        String sql =
                "SELECT root_event_id, service, status,"
                        + " (extract(epoch FROM started_at) * 1000000)::bigint,"
                        + " (extract(epoch FROM finished_at) * 1000000)::bigint"
                        + " FROM executions WHERE root_event_id = ANY (?)";
        Map<String, long[]> chains = new HashMap<>();
        List<String> failed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", posted.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String root = rs.getString(1);
                    String service = rs.getString(2);
                    String status = rs.getString(3);
                    if (status.equals("FAILED") || status.equals("DEAD")) {
                        failed.add(service + " for " + root + ": " + status);
                    }
                    if (!status.equals("SUCCEEDED")) {
                        continue;
                    }
                    long[] chain = chains.computeIfAbsent(root, k -> new long[] {-1, -1});
                    if (service.equals(ChainPackages.RELAY)) {
                        chain[0] = rs.getLong(4) - posted.get(root);
                    } else if (service.equals(ChainPackages.END)) {
                        chain[1] = rs.getLong(5) - posted.get(root);
                    }
                }
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("executions failed: " + failed);
        }
        return chains.values().stream().filter(l -> l[0] >= 0 && l[1] >= 0).toList();
    }

    private void report(List<long[]> latencies, double sentPerS) {
        long[] first = latencies.stream().mapToLong(l -> l[0]).sorted().toArray();
        long[] chain = latencies.stream().mapToLong(l -> l[1]).sorted().toArray();
        long[] postAnswer = postMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "%d chains at %.1f events/s: post → first start p50 %.1f ms p99 %.1f ms max %.1f"
                        + " ms; post → chain end p50 %.1f ms p99 %.1f ms max %.1f ms; POST answered"
                        + " p50 %.1f ms p99 %.1f ms%n",
                first.length,
                sentPerS,
                ms(first, 0.50),
                ms(first, 0.99),
                ms(first, 1.0),
                ms(chain, 0.50),
                ms(chain, 0.99),
                ms(chain, 1.0),
                ms(postAnswer, 0.50),
                ms(postAnswer, 0.99));
        System.out.printf(
                Locale.ROOT,
                "BENCH-JSON {\"e2e_p50_first_start_ms\": %.1f, \"e2e_p99_first_start_ms\": %.1f,"
                        + " \"e2e_p50_chain_ms\": %.1f, \"e2e_p99_chain_ms\": %.1f,"
                        + " \"e2e_post_p50_ms\": %.1f, \"e2e_post_p99_ms\": %.1f,"
                        + " \"e2e_events_per_s\": %.1f, \"e2e_chains\": %d}%n",
                ms(first, 0.50),
                ms(first, 0.99),
                ms(chain, 0.50),
                ms(chain, 0.99),
                ms(postAnswer, 0.50),
                ms(postAnswer, 0.99),
                sentPerS,
                first.length);
    }

    /** The q-quantile (nearest rank) of sorted µs values, in ms. */
    static double ms(long[] sortedMicros, double q) {
        int rank = (int) Math.ceil(q * sortedMicros.length);
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, rank - 1))] / 1000.0;
    }

    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static int intArg(List<String> a, String name, int dflt) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? Integer.parseInt(a.get(i + 1)) : dflt;
    }
}
