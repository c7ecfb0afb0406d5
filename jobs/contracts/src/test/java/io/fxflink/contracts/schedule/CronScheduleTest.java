package io.fxflink.contracts.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {
    @Test
    void unixFiveFieldExpressionGivesNextAndLatestSlotsInUtc() {
        CronSchedule every5 = CronSchedule.parse("*/5 * * * *");
        Instant t = Instant.parse("2026-03-01T10:07:30Z");

        assertThat(every5.nextAfter(t)).contains(Instant.parse("2026-03-01T10:10:00Z"));
        assertThat(every5.latestAtOrBefore(t)).contains(Instant.parse("2026-03-01T10:05:00Z"));
    }

    @Test
    void aSlotIsItsOwnLatestAndNotItsOwnNext() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *");
        Instant slot = Instant.parse("2026-03-01T10:00:00Z");

        assertThat(hourly.latestAtOrBefore(slot)).contains(slot);
        assertThat(hourly.latestAtOrBefore(slot.plusMillis(999))).contains(slot);
        assertThat(hourly.latestAtOrBefore(slot.minusMillis(1)))
                .contains(Instant.parse("2026-03-01T09:00:00Z"));
        assertThat(hourly.nextAfter(slot)).contains(Instant.parse("2026-03-01T11:00:00Z"));
    }

    @Test
    void aManifestScheduleIsFiveFieldUnixCronAndRefusesABareSecondsField() {
        assertThat(CronSchedule.parseManifest("*/5 * * * *").expression()).isEqualTo("*/5 * * * *");
        assertThatThrownBy(() -> CronSchedule.parseManifest("* * * * * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 6 fields")
                .hasMessageContaining("@seconds");
    }

    @Test
    void anExplicitSecondsScheduleFiresOnItsSecondsAtMostEveryTenSeconds() {
        CronSchedule s = CronSchedule.parseManifest("@seconds */30 * * * * *");
        assertThat(s.nextAfter(Instant.parse("2026-03-01T10:00:01Z")))
                .contains(Instant.parse("2026-03-01T10:00:30Z"));
        // the router reads what the manager published
        assertThat(
                        CronSchedule.parse(s.expression())
                                .nextAfter(Instant.parse("2026-03-01T10:00:31Z")))
                .contains(Instant.parse("2026-03-01T10:01:00Z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "@seconds * * * * * *",
                "@seconds */5 * * * * *",
                "@seconds 0,5 * * * * *",
                "@seconds */7 * * * * *",
                "@seconds 0,1 5 3 * * *"
            })
    void anExplicitSecondsScheduleFiringMoreOftenThanEveryTenSecondsIsRefused(String expr) {
        assertThatThrownBy(() -> CronSchedule.parseManifest(expr))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s apart")
                .hasMessageContaining("at most every 10 s");
    }

    @Test
    void theSecondsMarkerNeedsSixFields() {
        assertThatThrownBy(() -> CronSchedule.parseManifest("@seconds */30 * * * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 fields after @seconds");
    }

    @Test
    void aPublishedBareSixFieldExpressionStillHasSeconds() {
        CronSchedule s = CronSchedule.parse("*/10 * * * * *");
        assertThat(s.nextAfter(Instant.parse("2026-03-01T10:00:01Z")))
                .contains(Instant.parse("2026-03-01T10:00:10Z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "* * *",
                "61 * * * *",
                "* 25 * * *",
                "hello world foo bar baz",
                "* * * * * * * *",
                "0 0 31 2 *"
            })
    void invalidExpressionsAreRejectedWithAReason(String expr) {
        assertThatThrownBy(() -> CronSchedule.parse(expr))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cron expression");
    }
}
