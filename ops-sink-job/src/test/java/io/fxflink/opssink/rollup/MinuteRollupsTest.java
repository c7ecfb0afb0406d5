package io.fxflink.opssink.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MinuteRollupsTest {

    @Test
    void aDuplicateDeliveryOfAnOutcomeCountsOnce() {
        RollupInput ok = new RollupInput("s", "e1/s2", "SUCCEEDED", 10, 0);
        MinuteRollup r =
                MinuteRollups.compute(
                        "s", 0, List.of(ok, ok, new RollupInput("s", "e2/s2", "FAILED", 30, 0)));
        assertThat(r).isEqualTo(new MinuteRollup("s", 0, 2, 1, 1, 0, 10L, 30L));
    }

    @Test
    void percentilesAreNearestRankLikePercentileDisc() {
        List<RollupInput> in = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            in.add(
                    new RollupInput(
                            "s", "e" + i, i % 5 == 0 ? "TIMED_OUT" : "SUCCEEDED", i * 10L, 0));
        }
        MinuteRollup r = MinuteRollups.compute("s", 60_000, in);
        // rank ceil(0.5*20)=10 -> 100, rank ceil(0.95*20)=19 -> 190
        assertThat(r.p50Ms).isEqualTo(100L);
        assertThat(r.p95Ms).isEqualTo(190L);
        assertThat(r.timedOut).isEqualTo(4);
        assertThat(r.succeeded).isEqualTo(16);
    }

    @Test
    void outcomesWithoutDurationLeaveThePercentilesEmpty() {
        MinuteRollup r =
                MinuteRollups.compute("s", 0, List.of(new RollupInput("s", "e1", "FAILED", -1, 0)));
        assertThat(r.total).isEqualTo(1);
        assertThat(r.p50Ms).isNull();
        assertThat(r.p95Ms).isNull();
    }

    @Test
    void aTransitionThatIsNoOutcomeIsRefusedLoudly() {
        assertThatThrownBy(
                        () ->
                                MinuteRollups.compute(
                                        "s",
                                        0,
                                        List.of(new RollupInput("s", "e1", "QUEUED", -1, 0))))
                .hasMessageContaining("not an attempt outcome: QUEUED");
    }
}
