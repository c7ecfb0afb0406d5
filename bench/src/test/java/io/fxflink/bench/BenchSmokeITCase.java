package io.fxflink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.stack.ProjectRoot;
import io.fxflink.testsupport.RealServers;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bench/run --smoke} in the build, so no benchmark program rots: every program runs a short
 * round against the real servers and reports every headline figure. The figures of a smoke run are
 * not for comparison and go to bench/target/smoke, never to bench/results.
 */
class BenchSmokeITCase {
    // holds the build's shared servers for the whole run, so the programs do not restart them
    @RegisterExtension static final RealServers SERVERS = RealServers.all();

    @Test
    void everyBenchmarkProgramRunsAndReportsItsHeadlineFigures() throws Exception {
        BenchMain.Report report = BenchMain.run(ProjectRoot.find(), new String[] {"--smoke"});

        assertThat(report.failures()).isEmpty();
        Map<String, Double> figures = report.figures().medians();
        assertThat(figures).containsKeys(BenchMain.HEADLINE.keySet().toArray(String[]::new));
        BenchMain.HEADLINE
                .keySet()
                .forEach(key -> assertThat(figures.get(key)).as(key).isPositive());
        assertThat(figures).containsKeys("router_events_per_s_p1", "router_events_per_s_p2");
        assertThat(figures.keySet()).anyMatch(k -> k.startsWith("jmh_"));
        assertThat(report.results()).endsWith(java.nio.file.Path.of("bench/target/smoke"));
        assertThat(Files.readString(report.results().resolve("latest.json")))
                .contains("\"mode\" : \"smoke\"");
    }
}
