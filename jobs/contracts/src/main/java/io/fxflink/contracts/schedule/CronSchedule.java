package io.fxflink.contracts.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A validated cron schedule (cron-utils), evaluated in UTC.
 *
 * <p>Dialect: 5 fields ({@code minute hour day-of-month month day-of-week}) are UNIX cron; 6 fields
 * are Spring cron with a leading seconds field ({@code 0 *&#47;5 * * * *}). Anything else, or an
 * expression that never fires, is invalid, with a message saying why.
 */
public final class CronSchedule {
    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SPRING =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final String expression;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ExecutionTime executionTime) {
        this.expression = expression;
        this.executionTime = executionTime;
    }

    /** Parses and validates; {@link IllegalArgumentException} with the reason when invalid. */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression is empty");
        }
        String trimmed = expression.trim();
        int fields = trimmed.split("\\s+").length;
        CronParser parser;
        if (fields == 5) {
            parser = UNIX;
        } else if (fields == 6) {
            parser = SPRING;
        } else {
            throw new IllegalArgumentException(
                    "cron expression '"
                            + trimmed
                            + "' has "
                            + fields
                            + " fields; expected 5 (UNIX: minute hour day-of-month month"
                            + " day-of-week) or 6 (seconds first)");
        }
        Cron cron;
        try {
            cron = parser.parse(trimmed).validate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "invalid cron expression '" + trimmed + "': " + e.getMessage(), e);
        }
        CronSchedule schedule = new CronSchedule(trimmed, ExecutionTime.forCron(cron));
        Instant probe = Instant.parse("2000-01-01T00:00:00Z");
        if (schedule.nextAfter(probe).isEmpty()) {
            throw new IllegalArgumentException("cron expression '" + trimmed + "' never fires");
        }
        return schedule;
    }

    public String expression() {
        return expression;
    }

    /** The first slot strictly after {@code t}. */
    public Optional<Instant> nextAfter(Instant t) {
        try {
            return executionTime.nextExecution(utc(t)).map(ZonedDateTime::toInstant);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The latest slot at or before {@code t}. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        // slots are whole seconds: ask for the last one before the next whole second
        Instant bound = t.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        try {
            Optional<Instant> last =
                    executionTime.lastExecution(utc(bound)).map(ZonedDateTime::toInstant);
            while (last.isPresent() && last.get().isAfter(t)) {
                last = executionTime.lastExecution(utc(last.get())).map(ZonedDateTime::toInstant);
            }
            return last;
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ZonedDateTime utc(Instant t) {
        return t.atZone(ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return "CronSchedule[" + expression + " UTC]";
    }
}
