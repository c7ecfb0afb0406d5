package io.fxflink.executor.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.executor.context.PlatformCallException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * When a {@code context.scheduler.retry(...)} run is due: after {@code seconds}/{@code
 * minutes}/{@code hours}/{@code days} (added up, between 1 second and 365 days), or once at the
 * next time matching a five-field Unix {@code cron_expression} (UTC). Exactly one of the two forms.
 */
public record RetrySchedule(Instant runAt, String cron) {
    public static final Duration MAX_DELAY = Duration.ofDays(365);
    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    public static RetrySchedule parse(JsonNode args, Instant now) throws PlatformCallException {
        String cron = text(args.get("cron_expression"));
        double seconds =
                number(args, "seconds", 1)
                        + number(args, "minutes", 60)
                        + number(args, "hours", 3600)
                        + number(args, "days", 86400);
        boolean hasDelay = has(args, "seconds", "minutes", "hours", "days");
        if (cron != null && hasDelay) {
            throw new PlatformCallException(
                    "scheduler.retry: give either a delay (minutes/hours/days) or a"
                            + " cron_expression, not both");
        }
        if (cron != null) {
            return new RetrySchedule(nextCron(cron, now), cron);
        }
        if (!hasDelay) {
            throw new PlatformCallException(
                    "scheduler.retry: give a delay (minutes=, hours=, days=) or a cron_expression");
        }
        if (seconds < 1 || seconds > MAX_DELAY.toSeconds()) {
            throw new PlatformCallException(
                    "scheduler.retry: the delay must be between 1 second and 365 days, was "
                            + seconds
                            + " s");
        }
        return new RetrySchedule(now.plusMillis(Math.round(seconds * 1000)), null);
    }

    static Instant nextCron(String expression, Instant now) throws PlatformCallException {
        if (expression.length() > 256) {
            throw new PlatformCallException("scheduler.retry: cron_expression is too long");
        }
        Cron cron;
        try {
            cron = UNIX.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new PlatformCallException(
                    "scheduler.retry: invalid cron_expression '"
                            + expression
                            + "' (five fields: minute hour day-of-month month day-of-week): "
                            + e.getMessage());
        }
        return ExecutionTime.forCron(cron)
                .nextExecution(ZonedDateTime.ofInstant(now, ZoneOffset.UTC))
                .map(ZonedDateTime::toInstant)
                .filter(t -> !t.isAfter(now.plus(MAX_DELAY)))
                .orElseThrow(
                        () ->
                                new PlatformCallException(
                                        "scheduler.retry: cron_expression '"
                                                + expression
                                                + "' has no time within 365 days"));
    }

    private static boolean has(JsonNode args, String... fields) {
        for (String f : fields) {
            JsonNode n = args.get(f);
            if (n != null && !n.isNull()) {
                return true;
            }
        }
        return false;
    }

    private static double number(JsonNode args, String field, double unitSeconds)
            throws PlatformCallException {
        JsonNode n = args.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() < 0) {
            throw new PlatformCallException(
                    "scheduler.retry: " + field + " must be a non-negative number, was " + n);
        }
        return n.asDouble() * unitSeconds;
    }

    private static String text(JsonNode n) throws PlatformCallException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new PlatformCallException(
                    "scheduler.retry: cron_expression must be a non-empty string");
        }
        return n.asText().trim();
    }
}
