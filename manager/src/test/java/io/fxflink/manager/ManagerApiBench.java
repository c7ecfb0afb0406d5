package io.fxflink.manager;

import io.fxflink.platform.LocalFlinkCluster;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Figures for the routes this module added, against real servers: config and secret round trips
 * through HTTP (bearer auth, role checks, PostgreSQL stores, AES-GCM), and Flink job submission and
 * stop-with-savepoint through a real local Flink session cluster.
 *
 * <pre>
 * ./mvnw -q -pl manager test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   "-Dexec.args=--add-opens=java.base/java.util=ALL-UNNAMED -cp %classpath io.fxflink.manager.ManagerApiBench [--smoke]"
 * </pre>
 */
public final class ManagerApiBench {
    private ManagerApiBench() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        int n = smoke ? 300 : 3000;
        int jobs = smoke ? 2 : 5;
        RealServers servers = RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);
        ManagerFixture fx = new ManagerFixture(servers);
        Path home = Files.createTempDirectory("fx-manager-bench");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (LocalFlinkCluster flink = TestFlink.start(home, 4);
                ManagerApp app =
                        fx.start(
                                Map.of(
                                        "FX_SECRETS_KEY",
                                        Base64.getEncoder().encodeToString(key),
                                        "FX_FLINK_REST_URL",
                                        flink.restUrl(),
                                        "FX_FLINK_STOP_TIMEOUT_MS",
                                        "60000"))) {
            TestApi api = new TestApi(app.port());
            String admin = app.bootstrapToken().orElseThrow().token();
            check(api.upload(admin, Packages.python("bench-svc", "1", null), Map.of()), 201);
            for (int i = 0; i < 10; i++) {
                check(api.put(admin, "/api/v1/config/p" + i, Map.of("value", "v")), 200);
                check(
                        api.put(
                                admin,
                                "/api/v1/projects/default/config/q" + i,
                                Map.of("value", "v")),
                        200);
                check(
                        api.put(
                                admin,
                                "/api/v1/services/bench-svc/config/s" + i,
                                Map.of("value", "v")),
                        200);
            }
            String effective = "/api/v1/services/bench-svc/config?effective=true";
            Stats get = run(n, 1, i -> api.get(admin, effective), 200);
            Stats get4 = run(n, 4, i -> api.get(admin, effective), 200);
            Stats put =
                    run(
                            n,
                            1,
                            i ->
                                    api.put(
                                            admin,
                                            "/api/v1/services/bench-svc/config/k" + (i % 50),
                                            Map.of("value", "value-" + i)),
                            200);
            Stats secret =
                    run(
                            n,
                            1,
                            i ->
                                    api.put(
                                            admin,
                                            "/api/v1/services/bench-svc/secrets/s" + (i % 50),
                                            Map.of("value", "secret-" + i)),
                            -1);
            print("GET effective config (30 values, 1 client)", get);
            print("GET effective config (4 clients)", get4);
            print("PUT config value", put);
            print("PUT secret (AES-GCM + upsert)", secret);

            byte[] jar = JobJars.tinyJob(true);
            List<Double> submitMs = new ArrayList<>();
            List<Double> stopMs = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                long t0 = System.nanoTime();
                TestApi.Res s =
                        api.multipart(
                                admin,
                                "/api/v1/jobs",
                                "jar",
                                "tiny.jar",
                                jar,
                                Map.of("programArgs", "[\"bench-" + i + "\"]"));
                submitMs.add(ms(t0));
                check(s, 201);
                String id = s.json().get("jobId").asText();
                awaitCheckpoint(api, admin, id);
                long t1 = System.nanoTime();
                check(api.post(admin, "/api/v1/jobs/" + id + "/stop", Map.of()), 200);
                stopMs.add(ms(t1));
            }
            System.out.printf(
                    Locale.ROOT,
                    "job submit (upload %d bytes + run) p50 %.0f ms; stop-with-savepoint p50 %.0f"
                            + " ms (%d jobs)%n",
                    jar.length,
                    p(submitMs, 50),
                    p(stopMs, 50),
                    jobs);
            System.out.printf(
                    Locale.ROOT,
                    "BENCH-JSON {\"config_get_effective_per_s\": %.1f,"
                            + " \"config_get_effective_4c_per_s\": %.1f, \"config_put_per_s\": %.1f,"
                            + " \"secret_put_per_s\": %.1f, \"job_submit_p50_ms\": %.0f,"
                            + " \"job_stop_savepoint_p50_ms\": %.0f}%n",
                    get.perSecond,
                    get4.perSecond,
                    put.perSecond,
                    secret.perSecond,
                    p(submitMs, 50),
                    p(stopMs, 50));
        }
        System.exit(0);
    }

    private record Stats(double perSecond, double p50Ms, double p99Ms) {}

    private static Stats run(int n, int clients, IntFunction<TestApi.Res> call, int status)
            throws Exception {
        for (int i = 0; i < Math.min(50, n); i++) {
            call.apply(i); // warm-up: JIT, pools, prepared statements
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(
                    pool.submit(
                            () -> {
                                for (int i = client; i < n; i += clients) {
                                    long s = System.nanoTime();
                                    TestApi.Res r = call.apply(i);
                                    latencies.add(ms(s));
                                    if (status > 0 ? r.status() != status : r.status() >= 300) {
                                        throw new IllegalStateException("unexpected " + r);
                                    }
                                }
                                return null;
                            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return new Stats(n / seconds, p(latencies, 50), p(latencies, 99));
    }

    private static void awaitCheckpoint(TestApi api, String admin, String id) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (var j : api.get(admin, "/api/v1/jobs").json()) {
                if (j.get("id").asText().equals(id)
                        && "RUNNING".equals(j.get("state").asText())
                        && j.hasNonNull("lastCheckpoint")) {
                    return;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
        throw new IllegalStateException("job " + id + " did not checkpoint within 2 minutes");
    }

    private static void print(String what, Stats s) {
        System.out.printf(
                Locale.ROOT,
                "%-44s %8.0f req/s  p50 %.2f ms  p99 %.2f ms%n",
                what,
                s.perSecond,
                s.p50Ms,
                s.p99Ms);
    }

    private static double p(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void check(TestApi.Res r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r);
        }
    }
}
