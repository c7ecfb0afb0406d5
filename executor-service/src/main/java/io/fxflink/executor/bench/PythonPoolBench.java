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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (not a test): a trivial Python service run N times through the warm pool versus a fresh
 * interpreter per execution, each with 1 caller and with {@value #CALLERS} concurrent callers (the
 * pool then has as many workers, like the executor's default {@code FX_PYTHON_WORKERS}). Also the
 * pool with child reuse off (a child forked per step, {@code FX_PYTHON_REUSE=false}) and the pool
 * with {@value #ROTATING} services taking turns (all fit in the warm children of 4 workers) and
 * with {@value #ROTATING_MANY} (none does: a fresh child for every step).
 *
 * <p>Start latency = from the dispatch of the request (just before {@code pool.run} / {@code
 * ProcessBuilder.start}) to the first line of the step's script, which prints {@code
 * time.monotonic_ns()} (the same clock as {@link System#nanoTime()} on Linux). Prints executions/s,
 * start p50/p99 and end-to-end p50, the CPU per execution (this JVM plus every process below it,
 * from {@code /proc}), and a final {@code BENCH-JSON} line. {@code --smoke} runs a few iterations
 * only.
 */
public final class PythonPoolBench {
    static final int CALLERS = 4;
    static final int ROTATING = 8;

    /** More services taking turns than 4 workers keep warm children for: every step misses. */
    static final int ROTATING_MANY = 32;

    /** The executor's default FX_PYTHON_WARM_PER_WORKER. */
    static final int WARM_PER_WORKER = 8;

    private static int warmUpRuns = 3;
    private static final String SCRIPT =
            "import time\n"
                    + "started_ns = time.monotonic_ns()\n"
                    + "from fx_ef import context\n"
                    + "x = context.params['n'] + 1\n"
                    + "print('started', started_ns)\n";

    /** What one run measured. */
    record Figures(
            double perSecond, double startP50, double startP99, double endP50, double cpuMs) {}

    private PythonPoolBench() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int n = smoke ? 40 : 2000;
        int coldRuns = smoke ? 8 : 200;
        warmUpRuns = smoke ? 1 : 3; // the smoke run must stay short (< 30 s on a loaded machine)
        String python = System.getenv().getOrDefault("FX_PYTHON", "/usr/bin/python3");
        Path work = Files.createTempDirectory("fx-bench");
        ObjectMapper json = new ObjectMapper();
        // FX_PYTHON_SANDBOX=none: the same runs without the sandbox (its cost, by difference)
        PythonRuntime runtime =
                PythonRuntime.install(
                        python,
                        work,
                        io.fxflink.executor.python.PythonSandbox.detect(
                                System.getenv().getOrDefault("FX_PYTHON_SANDBOX", "bwrap"),
                                io.fxflink.executor.python.PythonSandbox.Limits.defaults()));
        List<ServicePackage> services = new ArrayList<>();
        for (int k = 0; k < ROTATING_MANY; k++) {
            Path dir = Files.createDirectories(work.resolve("pkg-" + k));
            Files.writeString(dir.resolve("main.py"), SCRIPT);
            services.add(
                    new ServicePackage(
                            "%064d".formatted(k),
                            dir,
                            new Manifest(
                                    "bench-" + k, "1", "python", List.of("main.py"), 0, Map.of())));
        }
        List<ServicePackage> one = services.subList(0, 1);
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
        System.out.printf(
                "python %s, %d cpus, load average %s%n",
                python, Runtime.getRuntime().availableProcessors(), loadAverage());
        Figures warm1 = warm(runtime, work, json, one, true, input, 1, n);
        Figures warmN = warm(runtime, work, json, one, true, input, CALLERS, n);
        Figures fresh1 = warm(runtime, work, json, one, false, input, 1, n / 2);
        Figures freshN = warm(runtime, work, json, one, false, input, CALLERS, n / 4);
        Figures rotatingN =
                warm(runtime, work, json, services.subList(0, ROTATING), true, input, CALLERS, n);
        Figures missingN = warm(runtime, work, json, services, true, input, CALLERS, n / 4);
        Figures cold1 = cold(python, work, one.get(0), 1, coldRuns);
        Figures coldN = cold(python, work, one.get(0), CALLERS, coldRuns);
        System.out.printf("load average after: %s%n", loadAverage());
        System.out.printf(
                "BENCH-JSON {\"python_warm_execs_per_s\": %.1f, \"python_cold_execs_per_s\": %.1f,"
                        + " \"python_warm_vs_cold\": %.2f, \"python_warm_p50_start_ms\": %.3f,"
                        + " \"python_warm_p99_start_ms\": %.3f, \"python_cold_p50_start_ms\": %.3f,"
                        + " \"python_warm_cpu_ms_per_exec\": %.2f,"
                        + " \"python_cold_cpu_ms_per_exec\": %.2f,"
                        + " \"python_warm_%dx_execs_per_s\": %.1f,"
                        + " \"python_cold_%dx_execs_per_s\": %.1f,"
                        + " \"python_warm_vs_cold_%dx\": %.2f,"
                        + " \"python_fresh_child_execs_per_s\": %.1f,"
                        + " \"python_fresh_child_p99_start_ms\": %.3f,"
                        + " \"python_fresh_child_%dx_execs_per_s\": %.1f,"
                        + " \"python_warm_rotating_%d_services_%dx_execs_per_s\": %.1f,"
                        + " \"python_warm_rotating_%d_services_%dx_execs_per_s\": %.1f}%n",
                warm1.perSecond(),
                cold1.perSecond(),
                warm1.perSecond() / cold1.perSecond(),
                warm1.startP50(),
                warm1.startP99(),
                cold1.startP50(),
                warm1.cpuMs(),
                cold1.cpuMs(),
                CALLERS,
                warmN.perSecond(),
                CALLERS,
                coldN.perSecond(),
                CALLERS,
                warmN.perSecond() / coldN.perSecond(),
                fresh1.perSecond(),
                fresh1.startP99(),
                CALLERS,
                freshN.perSecond(),
                ROTATING,
                CALLERS,
                rotatingN.perSecond(),
                ROTATING_MANY,
                CALLERS,
                missingN.perSecond());
    }

    private static Figures warm(
            PythonRuntime runtime,
            Path work,
            ObjectMapper json,
            List<ServicePackage> pkgs,
            boolean reuse,
            StepInput input,
            int callers,
            int n)
            throws Exception {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        String what =
                (reuse ? "warm pool" : "warm pool, child per step")
                        + (pkgs.size() > 1 ? ", " + pkgs.size() + " services in turn" : "")
                        + " ("
                        + callers
                        + " workers/callers)";
        try (PythonWorkerPool pool =
                new PythonWorkerPool(
                        new PythonWorkerPool.Settings(
                                callers,
                                Integer.MAX_VALUE,
                                reuse ? WARM_PER_WORKER : 0,
                                1 << 20,
                                0),
                        runtime,
                        work,
                        json,
                        timers)) {
            long[] start = new long[n];
            long[] end = new long[n];
            Figures figures =
                    measure(
                            what,
                            callers,
                            n,
                            i -> {
                                AtomicLong started = new AtomicLong(-1);
                                long dispatched = System.nanoTime();
                                ServicePackage pkg = pkgs.get(Math.floorMod(i, pkgs.size()));
                                StepOutcome o = pool.run(pkg, "main.py", input, startedBy(started));
                                long ended = System.nanoTime();
                                if (!o.ok() || started.get() < 0) {
                                    throw new IllegalStateException("bench step failed: " + o);
                                }
                                if (i >= 0) {
                                    start[i] = started.get() - dispatched;
                                    end[i] = ended - dispatched;
                                }
                            },
                            start,
                            end);
            timers.shutdownNow();
            return figures;
        }
    }

    private static Figures cold(String python, Path work, ServicePackage pkg, int callers, int n)
            throws Exception {
        long[] start = new long[n];
        long[] end = new long[n];
        return measure(
                "fresh interpreter per execution (" + callers + " callers)",
                callers,
                n,
                i -> {
                    long dispatched = System.nanoTime();
                    // what an executor without a pool would do: start Python, bind the context,
                    // run the step
                    Process p =
                            new ProcessBuilder(
                                            python,
                                            "-E",
                                            "-s",
                                            "-B",
                                            "-c",
                                            "import sys, json; sys.path.insert(0, sys.argv[1]);"
                                                    + " import fx_ef; fx_ef.context._bind("
                                                    + "{'params': json.loads(sys.argv[3])});"
                                                    + " exec(compile(open(sys.argv[2]).read(),"
                                                    + " sys.argv[2], 'exec'), {'__name__':"
                                                    + " '__main__'})",
                                            work.resolve("python-runtime").toString(),
                                            pkg.directory().resolve("main.py").toString(),
                                            "{\"n\": 1}")
                                    .redirectErrorStream(true)
                                    .start();
                    String out =
                            new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    int exit = p.waitFor();
                    long ended = System.nanoTime();
                    long started = startedIn(out);
                    if (exit != 0 || started < 0) {
                        throw new IllegalStateException("cold step failed (" + exit + "): " + out);
                    }
                    if (i >= 0) {
                        start[i] = started - dispatched;
                        end[i] = ended - dispatched;
                    }
                },
                start,
                end);
    }

    interface Execution {
        /** Runs execution {@code i} ({@code -1} = warm-up, not recorded). */
        void run(int i) throws Exception;
    }

    private static Figures measure(
            String what, int callers, int n, Execution execution, long[] start, long[] end)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> warmUp = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                warmUp.add(
                        pool.submit(
                                () -> {
                                    for (int k = 0; k < warmUpRuns; k++) {
                                        execution.run(-1);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : warmUp) {
                f.get();
            }
            AtomicInteger next = new AtomicInteger();
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                runs.add(
                        pool.submit(
                                () -> {
                                    for (int i = next.getAndIncrement();
                                            i < n;
                                            i = next.getAndIncrement()) {
                                        execution.run(i);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
            long total = System.nanoTime() - t0;
            double cpuMs = (cpuNanos() - cpu0) / 1e6 / n;
            Arrays.sort(start);
            Arrays.sort(end);
            Figures f =
                    new Figures(
                            n / (total / 1e9),
                            pct(start, 0.50),
                            pct(start, 0.99),
                            pct(end, 0.50),
                            cpuMs);
            System.out.printf(
                    "%-50s %5d runs %8.1f executions/s  start p50 %7.2f ms  p99 %7.2f ms  end p50"
                            + " %7.2f ms  cpu %6.2f ms/execution%n",
                    what, n, f.perSecond(), f.startP50(), f.startP99(), f.endP50(), f.cpuMs());
            return f;
        } finally {
            pool.shutdownNow();
        }
    }

    private static StepCallbacks startedBy(AtomicLong started) {
        return new StepCallbacks() {
            @Override
            public void log(LogLevel l, String stream, String message, boolean t) {
                long s = startedIn(message);
                if (s >= 0) {
                    started.set(s);
                }
            }

            @Override
            public Object call(String method, JsonNode a) {
                return null;
            }
        };
    }

    private static long startedIn(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("started ")) {
                return Long.parseLong(line.substring("started ".length()).trim());
            }
        }
        return -1;
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /**
     * CPU used so far by this JVM and every process below it: each one's utime + stime plus the
     * cutime + cstime of the children it reaped (a step child's CPU lands in its zygote's, a cold
     * interpreter's in this JVM's). The difference of two calls is what happened in between.
     */
    private static long cpuNanos() {
        long ticks = ticks(ProcessHandle.current().pid());
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            ticks += ticks(p.pid());
        }
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11])
                    + Long.parseLong(f[12])
                    + Long.parseLong(f[13])
                    + Long.parseLong(f[14]);
        } catch (java.io.IOException | RuntimeException gone) {
            return 0; // ended in between: its CPU is in its parent's cutime
        }
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
