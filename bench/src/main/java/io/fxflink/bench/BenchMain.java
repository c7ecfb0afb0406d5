package io.fxflink.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run}: runs every benchmark program for several rounds (each program warms up on its
 * own), prints a table of medians and spreads, and writes it to {@code bench/results/latest.md} and
 * {@code latest.json}. Each figure is a ratio to its baseline measured in the same run, or a
 * percentile.
 */
public final class BenchMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<Suite> SUITES =
            List.of(
                    new Suite(
                            "router",
                            "router-job",
                            "io.fxflink.router.bench.RouterBench",
                            List.of(),
                            List.of("--smoke")),
                    new Suite(
                            "executor",
                            "executor-service",
                            "io.fxflink.executor.bench.PythonPoolBench",
                            List.of(),
                            List.of("--smoke")),
                    new Suite(
                            "jvm-services",
                            "executor-service",
                            "io.fxflink.executor.bench.JvmServiceBench",
                            List.of(),
                            List.of("--smoke")),
                    new Suite(
                            "ops-sink",
                            "ops-sink-job",
                            "io.fxflink.opssink.bench.OpsSinkBench",
                            List.of(),
                            List.of("--smoke")),
                    new Suite(
                            "e2e",
                            "e2e",
                            "io.fxflink.e2e.EndToEndLatencyBench",
                            List.of(),
                            List.of("--smoke")),
                    new Suite(
                            "jmh",
                            "bench",
                            "io.fxflink.bench.jmh.HotPathsBench",
                            List.of(),
                            List.of("--smoke")));

    /** The keys latest.json must carry, with what they mean. */
    static final Map<String, String> HEADLINE =
            Map.of(
                    "router_vs_raw_copy", "router events/s ÷ raw Kafka copy loop events/s",
                    "router_p99_ms_at_1000",
                            "produce → execution request p99 at 1,000 events/s (ms)",
                    "python_warm_vs_cold",
                            "warm-pool Python executions/s ÷ fresh interpreter per execution",
                    "python_warm_p99_start_ms", "warm-pool Python start latency p99 (ms)",
                    "jvm_executions_per_s", "trivial JVM service executions/s",
                    "ops_sink_vs_bulk",
                            "ops sink log records/s into Elasticsearch ÷ plain bulk loader",
                    "e2e_p99_first_start_ms",
                            "POST /api/v1/events → first service start p99 at 100 events/s (ms)",
                    "e2e_p99_chain_ms", "POST /api/v1/events → chain end p99 at 100 events/s (ms)");

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("fx.root", ".")).toAbsolutePath().normalize();
        Report report = run(root, args);
        if (!report.failures().isEmpty()) {
            System.err.println(
                    "benchmarks that did not report:\n  " + String.join("\n  ", report.failures()));
            System.exit(1);
        }
    }

    /** What a run measured, and which programs did not report. */
    record Report(Figures figures, List<String> failures, Path results) {}

    /**
     * Runs the suites ({@code --only a,b}) for {@code --rounds N} rounds (1 with {@code --smoke})
     * and writes latest.md/latest.json to {@code --out DIR}: bench/results for full runs, and
     * bench/target/smoke for smoke runs, whose short figures must never replace the published ones.
     */
    static Report run(Path root, String[] args) throws IOException, InterruptedException {
        boolean smoke = List.of(args).contains("--smoke");
        int rounds = smoke ? 1 : intArg(args, "--rounds", 3);
        List<String> only = listArg(args, "--only");
        Path results =
                root.resolve(
                        stringArg(args, "--out", smoke ? "bench/target/smoke" : "bench/results"));
        Figures figures = new Figures();
        List<String> failures = new ArrayList<>();
        double loadAtStart = loadAverage();
        for (Suite suite : SUITES) {
            if (!only.isEmpty() && !only.contains(suite.name())) {
                continue;
            }
            String classpath;
            try {
                classpath = testClasspath(root, suite.module());
            } catch (IllegalStateException e) {
                failures.add(suite.name() + ": " + e.getMessage());
                continue;
            }
            for (int r = 1; r <= rounds; r++) {
                System.out.printf("== %s, round %d/%d%n", suite.name(), r, rounds);
                Round round = runRound(root, suite, classpath, smoke);
                if (figures.addOutput(round.output()) == 0) {
                    failures.add(
                            suite.name()
                                    + " round "
                                    + r
                                    + " printed no BENCH-JSON line (exit code "
                                    + round.exitCode()
                                    + ")");
                } else if (round.exitCode() != 0) {
                    failures.add(suite.name() + " round " + r + " exited with " + round.exitCode());
                }
            }
        }
        double[] load = {loadAtStart, loadAverage()};
        String md = markdown(figures, rounds, smoke, load);
        System.out.println(md);
        Files.createDirectories(results);
        Files.writeString(results.resolve("latest.md"), md);
        Files.writeString(
                results.resolve("latest.json"),
                JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json(figures, rounds, smoke, load)));
        return new Report(figures, failures, results);
    }

    private record Round(String output, int exitCode) {}

    private static Round runRound(Path root, Suite suite, String classpath, boolean smoke)
            throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx2g",
                                "-Dfx.root=" + root,
                                "-cp",
                                classpath,
                                suite.mainClass()));
        cmd.addAll(suite.args(smoke));
        Process p =
                new ProcessBuilder(cmd)
                        .directory(root.resolve(suite.module()).toFile())
                        .redirectErrorStream(true)
                        .start();
        StringBuilder out = new StringBuilder();
        try (var reader =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                                p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                System.out.println("   " + line);
                out.append(line).append('\n');
            }
        }
        if (!p.waitFor(60, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Round(out.toString(), -1);
        }
        return new Round(out.toString(), p.exitValue());
    }

    /**
     * The module's test classpath, as the build wrote it ({@code target/test-classpath.txt}, see
     * the parent pom): the reactor's own outputs, never stale jars from the local repository.
     */
    static String testClasspath(Path root, String module) throws IOException {
        Path target = root.resolve(module).resolve("target");
        Path file = target.resolve("test-classpath.txt");
        List<String> entries = new ArrayList<>();
        // a module may have only test sources (e2e) or only main sources (bench)
        for (Path dir : List.of(target.resolve("test-classes"), target.resolve("classes"))) {
            if (Files.isDirectory(dir)) {
                entries.add(dir.toString());
            }
        }
        if (!Files.exists(file) || entries.isEmpty()) {
            throw new IllegalStateException(
                    "no build output in "
                            + target
                            + ": build it first (./mvnw install -DskipTests)");
        }
        entries.add(Files.readString(file).trim());
        return String.join(":", entries);
    }

    /** The machine's 1-minute load average: figures are only comparable on a quiet machine. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String markdown(Figures f, int rounds, boolean smoke, double[] load) {
        StringBuilder sb = new StringBuilder();
        sb.append("# FX on Flink benchmarks\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%s, %s, %d round(s) per benchmark, load average %.1f at the start and"
                                + " %.1f at the end%s%n%n",
                        LocalDate.now(),
                        machine(),
                        rounds,
                        load[0],
                        load[1],
                        smoke ? ", SMOKE MODE (short runs: not for comparison)" : ""));
        sb.append("| figure | median | spread (min … max) | rounds |\n|---|---:|---|---:|\n");
        Map<String, Double> med = f.medians();
        Map<String, double[]> spread = f.spreads();
        for (String key : med.keySet()) {
            double[] s = spread.get(key);
            String desc = HEADLINE.containsKey(key) ? " — " + HEADLINE.get(key) : "";
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| `%s`%s | %s | %s … %s | %d |%n",
                            key,
                            desc,
                            fmt(med.get(key)),
                            fmt(s[0]),
                            fmt(s[1]),
                            f.rounds(key)));
        }
        List<String> missing =
                HEADLINE.keySet().stream().filter(k -> !med.containsKey(k)).sorted().toList();
        if (!missing.isEmpty()) {
            sb.append("\nNot measured in this run: ")
                    .append(String.join(", ", missing))
                    .append('\n');
        }
        return sb.toString();
    }

    static ObjectNode json(Figures f, int rounds, boolean smoke, double[] load) {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", LocalDate.now().toString());
        ObjectNode m = root.putObject("machine");
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_gib", totalMemoryGib());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version"));
        root.put("mode", smoke ? "smoke" : "full");
        root.put("rounds", rounds);
        root.put("load_avg_start", load[0]);
        root.put("load_avg_end", load[1]);
        f.medians().forEach(root::put);
        ObjectNode spread = root.putObject("spread");
        f.spreads().forEach((k, v) -> spread.putArray(k).add(v[0]).add(v[1]));
        return root;
    }

    static String machine() {
        return String.format(
                Locale.ROOT,
                "%d cores, %d GiB, %s, Java %s",
                Runtime.getRuntime().availableProcessors(),
                totalMemoryGib(),
                System.getProperty("os.name"),
                System.getProperty("java.version"));
    }

    private static long totalMemoryGib() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return -1;
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100
                ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    private static int intArg(String[] args, String name, int dflt) {
        List<String> l = List.of(args);
        int i = l.indexOf(name);
        return i >= 0 && i + 1 < l.size() ? Integer.parseInt(l.get(i + 1)) : dflt;
    }

    private static String stringArg(String[] args, String name, String dflt) {
        List<String> l = List.of(args);
        int i = l.indexOf(name);
        return i >= 0 && i + 1 < l.size() ? l.get(i + 1) : dflt;
    }

    private static List<String> listArg(String[] args, String name) {
        List<String> l = List.of(args);
        int i = l.indexOf(name);
        return i >= 0 && i + 1 < l.size() ? List.of(l.get(i + 1).split(",")) : List.of();
    }
}
