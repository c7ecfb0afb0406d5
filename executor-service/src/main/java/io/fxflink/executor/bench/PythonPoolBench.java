package io.fxflink.executor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.pkg.Manifest;
import io.fxflink.executor.pkg.ServicePackage;
import io.fxflink.executor.python.PythonRuntime;
import io.fxflink.executor.python.PythonWorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Benchmark (not a test): a trivial Python service run N times through the warm pool versus a fresh
 * interpreter per execution. Prints executions/s and p50/p99 start-to-end latency. {@code --smoke}
 * runs a few iterations only (checks that the bench works).
 */
public final class PythonPoolBench {
    private PythonPoolBench() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int n = smoke ? 20 : 2000;
        int coldN = smoke ? 5 : 200;
        String python = System.getenv().getOrDefault("FX_PYTHON", "/usr/bin/python3");
        Path work = Files.createTempDirectory("fx-bench");
        Path pkgDir = Files.createDirectories(work.resolve("pkg"));
        Files.writeString(
                pkgDir.resolve("main.py"),
                "from fx_ef import context\nx = context.params['n'] + 1\n");
        ObjectMapper json = new ObjectMapper();
        double[] warm;
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        PythonRuntime runtime = PythonRuntime.install(python, work);
        ServicePackage pkg =
                new ServicePackage(
                        "0".repeat(64),
                        pkgDir,
                        new Manifest("bench", "1", "python", List.of("main.py"), 0, Map.of()));
        StepInput input =
                new StepInput(
                        "bench",
                        "bench",
                        "1",
                        "p",
                        1,
                        json.readTree("{\"n\":1}"),
                        json.createObjectNode(),
                        10_000);
        StepCallbacks quiet =
                new StepCallbacks() {
                    @Override
                    public void log(LogLevel l, String s, String m, boolean t) {}

                    @Override
                    public Object call(String method, JsonNode a) {
                        return null;
                    }
                };
        try (PythonWorkerPool pool =
                new PythonWorkerPool(
                        new PythonWorkerPool.Settings(1, Integer.MAX_VALUE, 1 << 20, 0),
                        runtime,
                        work,
                        json,
                        timers)) {
            for (int i = 0; i < Math.min(50, n); i++) {
                pool.run(pkg, "main.py", input, quiet); // warm-up
            }
            long[] lat = new long[n];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                StepOutcome o = pool.run(pkg, "main.py", input, quiet);
                if (!o.ok()) {
                    throw new IllegalStateException("bench step failed: " + o.error());
                }
                lat[i] = System.nanoTime() - s;
            }
            warm = report("warm pool (1 worker, fork per step)", n, System.nanoTime() - t0, lat);
        }
        long[] lat = new long[coldN];
        long t0 = System.nanoTime();
        for (int i = 0; i < coldN; i++) {
            long s = System.nanoTime();
            Process p =
                    new ProcessBuilder(
                                    python,
                                    "-E",
                                    "-s",
                                    "-B",
                                    "-c",
                                    "import sys; sys.path.insert(0, sys.argv[1]); import fx_ef,"
                                            + " json; exec(open(sys.argv[2]).read())",
                                    work.resolve("python-runtime").toString(),
                                    pkgDir.resolve("main.py").toString())
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            lat[i] = System.nanoTime() - s;
        }
        double[] cold =
                report("fresh interpreter per execution", coldN, System.nanoTime() - t0, lat);
        timers.shutdownNow();
        System.out.printf(
                "BENCH-JSON {\"python_warm_execs_per_s\": %.1f, \"python_cold_execs_per_s\": %.1f,"
                        + " \"python_warm_vs_cold\": %.2f, \"python_warm_p50_start_ms\": %.3f,"
                        + " \"python_warm_p99_start_ms\": %.3f, \"python_cold_p50_ms\": %.3f}%n",
                warm[0], cold[0], warm[0] / cold[0], warm[1], warm[2], cold[1]);
    }

    /** Prints and returns {executions/s, p50 ms, p99 ms}. */
    private static double[] report(String what, int n, long totalNanos, long[] lat) {
        Arrays.sort(lat);
        double perS = n / (totalNanos / 1e9);
        double p50 = lat[n / 2] / 1e6;
        double p99 = lat[Math.min(n - 1, (int) (n * 0.99))] / 1e6;
        System.out.printf(
                "%-40s %6d runs  %8.1f executions/s  p50 %6.2f ms  p99 %6.2f ms%n",
                what, n, perS, p50, p99);
        return new double[] {perS, p50, p99};
    }
}
