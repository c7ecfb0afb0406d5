package io.fxflink.executor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.executor.context.StepCallbacks;
import io.fxflink.executor.context.StepInput;
import io.fxflink.executor.context.StepOutcome;
import io.fxflink.executor.jvm.JvmServiceRunner;
import io.fxflink.executor.pkg.Manifest;
import io.fxflink.executor.pkg.ServicePackage;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Benchmark (not a test): a trivial JVM service ({@link TrivialService}, loaded from a package jar
 * by its own class loader) run N times through {@link JvmServiceRunner} from several caller
 * threads: the runtime's dispatch, class-loader cache, per-execution instance, context and timeout
 * watch. Kafka and PostgreSQL are not in this path. Prints executions/s and p50/p99 and a final
 * {@code BENCH-JSON} line. {@code --smoke} runs a few iterations only.
 */
public final class JvmServiceBench {
    private JvmServiceBench() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int n = smoke ? 2_000 : 400_000;
        int callers = 4;
        int threads = 4;
        ObjectMapper json = new ObjectMapper();
        Path dir = Files.createTempDirectory("fx-jvm-bench");
        writeJar(dir.resolve("service.jar"));
        ServicePackage pkg =
                new ServicePackage(
                        "1".repeat(64),
                        dir,
                        new Manifest(
                                "bench",
                                "1",
                                "jvm",
                                List.of(TrivialService.class.getName()),
                                0,
                                Map.of()));
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
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (JvmServiceRunner runner =
                new JvmServiceRunner(new JvmServiceRunner.Settings(threads, 1000, 16, 8), json)) {
            run(runner, pkg, input, quiet, pool, callers, Math.min(n, 50_000), new long[0]);
            long[] lat = new long[n];
            long t0 = System.nanoTime();
            run(runner, pkg, input, quiet, pool, callers, n, lat);
            long total = System.nanoTime() - t0;
            Arrays.sort(lat);
            double perS = n / (total / 1e9);
            System.out.printf(
                    "%-40s %7d runs  %9.1f executions/s  p50 %7.1f us  p99 %7.1f us%n",
                    "jvm service (" + callers + " callers, " + threads + " threads)",
                    n,
                    perS,
                    lat[n / 2] / 1e3,
                    lat[Math.min(n - 1, (int) (n * 0.99))] / 1e3);
            System.out.printf(
                    "BENCH-JSON {\"jvm_executions_per_s\": %.1f, \"jvm_p50_us\": %.1f,"
                            + " \"jvm_p99_us\": %.1f, \"jvm_runs\": %d}%n",
                    perS, lat[n / 2] / 1e3, lat[Math.min(n - 1, (int) (n * 0.99))] / 1e3, n);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void run(
            JvmServiceRunner runner,
            ServicePackage pkg,
            StepInput input,
            StepCallbacks quiet,
            ExecutorService pool,
            int callers,
            int n,
            long[] lat)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        String step = TrivialService.class.getName();
        Future<?>[] fs = new Future<?>[callers];
        for (int c = 0; c < callers; c++) {
            fs[c] =
                    pool.submit(
                            () -> {
                                int i;
                                while ((i = next.getAndIncrement()) < n) {
                                    long s = System.nanoTime();
                                    StepOutcome o = runner.run(pkg, step, input, quiet);
                                    if (!o.ok()) {
                                        throw new IllegalStateException(
                                                "bench run failed: " + o.error());
                                    }
                                    if (lat.length > 0) {
                                        lat[i] = System.nanoTime() - s;
                                    }
                                }
                                return null;
                            });
        }
        for (Future<?> f : fs) {
            f.get();
        }
    }

    /** A package jar holding TrivialService's class file, as a service author would ship it. */
    private static void writeJar(Path jar) throws Exception {
        String entry = TrivialService.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out);
                InputStream in = TrivialService.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            in.transferTo(j);
            j.closeEntry();
        }
    }
}
