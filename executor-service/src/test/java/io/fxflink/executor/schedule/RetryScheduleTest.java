package io.fxflink.executor.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fxflink.executor.context.PlatformCallException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a scheduler.retry run is due, and the clear refusals of bad arguments. */
class RetryScheduleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-03-10T10:17:30Z");

    static RetrySchedule parse(String args) throws Exception {
        return RetrySchedule.parse(JSON.readTree(args), NOW);
    }

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void delaysAddUpAcrossUnits() throws Exception {
        assertThat(parse("{\"minutes\": 5}").runAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(parse("{\"hours\": 1, \"minutes\": 30}").runAt())
                .isEqualTo(NOW.plusSeconds(5400));
        assertThat(parse("{\"days\": 2}").runAt()).isEqualTo(NOW.plusSeconds(2 * 86400));
        assertThat(parse("{\"minutes\": 0.5, \"seconds\": null}").runAt())
                .isEqualTo(NOW.plusSeconds(30));
        assertThat(parse("{\"minutes\": 5}").cron()).isNull();
    }

    @Test
    void aCronExpressionRunsOnceAtItsNextMatchInUtc() throws Exception {
        RetrySchedule s = parse("{\"cron_expression\": \"0 6 * * *\"}");
        assertThat(s.runAt()).isEqualTo(Instant.parse("2026-03-11T06:00:00Z"));
        assertThat(s.cron()).isEqualTo("0 6 * * *");
        assertThat(parse("{\"cron_expression\": \"*/15 * * * *\"}").runAt())
                .isEqualTo(Instant.parse("2026-03-10T10:30:00Z"));
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("{}"))
                .isInstanceOf(PlatformCallException.class)
                .hasMessageContaining("give a delay");
        assertThatThrownBy(() -> parse("{\"minutes\": -1}"))
                .hasMessageContaining("minutes must be a non-negative number");
        assertThatThrownBy(() -> parse("{\"minutes\": \"5\"}"))
                .hasMessageContaining("minutes must be a non-negative number");
        assertThatThrownBy(() -> parse("{\"minutes\": 0}"))
                .hasMessageContaining("between 1 second and 365 days");
        assertThatThrownBy(() -> parse("{\"days\": 366}"))
                .hasMessageContaining("between 1 second and 365 days");
        assertThatThrownBy(() -> parse("{\"minutes\": 1, \"cron_expression\": \"* * * * *\"}"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> parse("{\"cron_expression\": \"61 * * * *\"}"))
                .hasMessageContaining("invalid cron_expression '61 * * * *'");
        assertThatThrownBy(() -> parse("{\"cron_expression\": \"not a cron\"}"))
                .hasMessageContaining("five fields");
        assertThatThrownBy(() -> parse("{\"cron_expression\": \"\"}"))
                .hasMessageContaining("non-empty string");
        assertThatThrownBy(() -> parse("{\"cron_expression\": 5}"))
                .hasMessageContaining("non-empty string");
        assertThatThrownBy(() -> parse("{\"cron_expression\": \"0 0 30 2 *\"}"))
                .hasMessageContaining("no time within 365 days");
    }
}
