package io.fxflink.bench.jmh;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH micro-benchmarks of the hot paths as one bench/run program: runs them and prints their
 * throughputs as a {@code BENCH-JSON} line ({@code jmh_<benchmark>_<unit>}, e.g. {@code
 * jmh_route_ns_per_op}). The smoke mode runs each once in this JVM, only to prove they still run.
 */
public final class HotPathsBench {
    private HotPathsBench() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        ChainedOptionsBuilder options =
                new OptionsBuilder()
                        .include(ContractsBenchmark.class.getName())
                        .include(RouterMatchingBenchmark.class.getName());
        if (smoke) {
            options.forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> figures = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            String name = method.substring(method.lastIndexOf('.') + 1);
            figures.put(
                    "jmh_" + snake(name) + "_" + unitKey(r.getPrimaryResult().getScoreUnit()),
                    r.getPrimaryResult().getScore());
        }
        System.out.println(
                "BENCH-JSON "
                        + figures.entrySet().stream()
                                .map(
                                        e ->
                                                String.format(
                                                        Locale.ROOT,
                                                        "\"%s\": %.1f",
                                                        e.getKey(),
                                                        e.getValue()))
                                .collect(Collectors.joining(", ", "{", "}")));
    }

    /** "ops/s" → "ops_per_s", "ns/op" → "ns_per_op": the unit stays in the key. */
    static String unitKey(String unit) {
        return unit.replace("/", "_per_");
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
