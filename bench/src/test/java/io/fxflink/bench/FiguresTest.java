package io.fxflink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void collectsBenchLinesAmongOtherOutput() {
        Figures f = new Figures();
        int n =
                f.addOutput(
                        "warming up\nBENCH-JSON {\"router_vs_raw_copy\": 0.8, \"note\": \"x\"}\nbye\n");
        assertThat(n).isEqualTo(1);
        assertThat(f.medians()).containsOnlyKeys("router_vs_raw_copy");
    }

    @Test
    void medianAndSpreadOverRounds() {
        Figures f = new Figures();
        for (double v : List.of(3.0, 1.0, 2.0)) {
            f.addOutput("BENCH-JSON {\"k\": " + v + "}");
        }
        assertThat(f.medians().get("k")).isEqualTo(2.0);
        assertThat(f.spreads().get("k")).containsExactly(1.0, 3.0);
        assertThat(Figures.median(List.of(1.0, 2.0, 3.0, 10.0))).isEqualTo(2.5);
    }

    @Test
    void aMalformedLineIsAnError() {
        assertThatThrownBy(() -> new Figures().addOutput("BENCH-JSON {broken"))
                .hasMessageContaining("malformed BENCH-JSON line");
    }

    @Test
    void theReportNamesWhatWasNotMeasured() {
        Figures f = new Figures();
        f.addOutput("BENCH-JSON {\"ops_sink_vs_bulk\": 0.75}");
        double[] load = {1.25, 3.5};
        String md = BenchMain.markdown(f, 1, true, load);
        assertThat(md).contains("`ops_sink_vs_bulk`").contains("0.750").contains("SMOKE MODE");
        assertThat(md).contains("load average 1.3 at the start and 3.5 at the end");
        assertThat(md).contains("Not measured in this run:").contains("router_vs_raw_copy");
        var json = BenchMain.json(f, 1, true, load);
        assertThat(json.path("ops_sink_vs_bulk").asDouble()).isEqualTo(0.75);
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("load_avg_end").asDouble()).isEqualTo(3.5);
    }
}
