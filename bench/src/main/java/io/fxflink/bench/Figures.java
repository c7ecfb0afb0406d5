package io.fxflink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Figures collected over rounds: median and spread (min..max) per key. */
final class Figures {
    static final String PREFIX = "BENCH-JSON ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<Double>> values = new TreeMap<>();

    /** Takes every {@code BENCH-JSON} line of a benchmark's output. */
    int addOutput(String output) {
        int n = 0;
        for (String line : output.split("\n")) {
            int i = line.indexOf(PREFIX);
            if (i < 0) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line.substring(i + PREFIX.length()));
            } catch (IOException e) {
                throw new IllegalArgumentException("malformed BENCH-JSON line: " + line, e);
            }
            node.fields()
                    .forEachRemaining(
                            f -> {
                                if (f.getValue().isNumber()) {
                                    values.computeIfAbsent(f.getKey(), k -> new ArrayList<>())
                                            .add(f.getValue().asDouble());
                                }
                            });
            n++;
        }
        return n;
    }

    Map<String, Double> medians() {
        Map<String, Double> m = new TreeMap<>();
        values.forEach((k, v) -> m.put(k, median(v)));
        return m;
    }

    Map<String, double[]> spreads() {
        Map<String, double[]> m = new TreeMap<>();
        values.forEach((k, v) -> m.put(k, new double[] {Collections.min(v), Collections.max(v)}));
        return m;
    }

    int rounds(String key) {
        return values.getOrDefault(key, List.of()).size();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
