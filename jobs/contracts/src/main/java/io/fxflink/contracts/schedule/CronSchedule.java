package io.fxflink.contracts.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A validated cron schedule (cron-utils), evaluated in UTC.
 *
 * <p>Dialect: 5 fields ({@code minute hour day-of-month month day-of-week}) are UNIX cron. A
 * seconds field is only taken when asked for explicitly, as {@code @seconds} followed by 6 fields
 * (Spring cron, seconds first: {@code @seconds *&#47;30 * * * * *}), and such a schedule fires at
 * most every {@link #MIN_SECONDS_INTERVAL}. Anything else, or an expression that never fires, is
 * invalid, with a message saying why.
 *
 * <p>{@link #parseManifest} is the rule for what a service manifest may say. {@link #parse} also
 * reads a bare 6-field expression, as schedules published before that rule were written.
 */
public final class CronSchedule {
    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SPRING =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    /** Marks a 6-field expression whose first field is seconds. */
    public static final String SECONDS_PREFIX = "@seconds";

    /** Shortest time between two firings of a schedule with a seconds field. */
    public static final Duration MIN_SECONDS_INTERVAL = Duration.ofSeconds(10);

    private static final int MAX_ECHO_CHARS = 100;

    private final String expression;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ExecutionTime executionTime) {
        this.expression = expression;
        this.executionTime = executionTime;
    }

    /**
     * What a manifest's {@code schedule} may be: 5-field UNIX cron, or {@code @seconds} and 6
     * fields firing at most every {@link #MIN_SECONDS_INTERVAL}. {@link IllegalArgumentException}
     * with the reason otherwise (a bare 6-field expression is refused: it would fire every second
     * for {@code * * * * * *}).
     */
    public static CronSchedule parseManifest(String expression) {
        return parse(expression, false);
    }

    /**
     * Parses and validates a published schedule: what {@link #parseManifest} accepts, and a bare
     * 6-field (seconds first) expression as older records carry it. {@link
     * IllegalArgumentException} with the reason when invalid.
     */
    public static CronSchedule parse(String expression) {
        return parse(expression, true);
    }

    private static CronSchedule parse(String expression, boolean bareSecondsAllowed) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression is empty");
        }
        String trimmed = expression.trim();
        boolean explicitSeconds = false;
        String fieldsText = trimmed;
        if (trimmed.startsWith(SECONDS_PREFIX)
                && (trimmed.length() == SECONDS_PREFIX.length()
                        || Character.isWhitespace(trimmed.charAt(SECONDS_PREFIX.length())))) {
            explicitSeconds = true;
            fieldsText = trimmed.substring(SECONDS_PREFIX.length()).trim();
        }
        String echo = clip(trimmed);
        int fields = fieldsText.isEmpty() ? 0 : fieldsText.split("\\s+").length;
        CronParser parser;
        if (explicitSeconds) {
            if (fields != 6) {
                throw new IllegalArgumentException(
                        "cron expression '"
                                + echo
                                + "' has "
                                + fields
                                + " fields after "
                                + SECONDS_PREFIX
                                + "; expected 6 (second minute hour day-of-month month"
                                + " day-of-week)");
            }
            parser = SPRING;
        } else if (fields == 5) {
            parser = UNIX;
        } else if (fields == 6 && bareSecondsAllowed) {
            parser = SPRING;
        } else if (fields == 6) {
            throw new IllegalArgumentException(
                    "cron expression '"
                            + echo
                            + "' has 6 fields; a schedule is UNIX cron with 5 (minute hour"
                            + " day-of-month month day-of-week). For a seconds field write '"
                            + SECONDS_PREFIX
                            + " <6 fields>' (at most every "
                            + MIN_SECONDS_INTERVAL.toSeconds()
                            + " s)");
        } else {
            throw new IllegalArgumentException(
                    "cron expression '"
                            + echo
                            + "' has "
                            + fields
                            + " fields; expected 5 (UNIX: minute hour day-of-month month"
                            + " day-of-week) or '"
                            + SECONDS_PREFIX
                            + "' and 6 (seconds first)");
        }
        Cron cron;
        try {
            cron = parser.parse(fieldsText).validate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "invalid cron expression '" + echo + "': " + clip(e.getMessage()), e);
        }
        CronSchedule schedule = new CronSchedule(trimmed, ExecutionTime.forCron(cron));
        Instant probe = Instant.parse("2000-01-01T00:00:00Z");
        if (schedule.nextAfter(probe).isEmpty()) {
            throw new IllegalArgumentException("cron expression '" + echo + "' never fires");
        }
        if (explicitSeconds) {
            schedule.requireMinimumInterval(echo);
        }
        return schedule;
    }

    /**
     * The gaps between the first firings after a few probe times (a minute boundary, a month end, a
     * leap day) are all at least {@link #MIN_SECONDS_INTERVAL}: a seconds field repeats within each
     * minute it fires in, so short gaps show within the first firings.
     */
    private void requireMinimumInterval(String echo) {
        for (String start :
                new String[] {
                    "2000-01-01T00:00:00Z", "2000-02-29T23:58:30Z", "2001-12-31T23:59:45Z"
                }) {
            Optional<Instant> previous = nextAfter(Instant.parse(start));
            for (int i = 0; i < 130 && previous.isPresent(); i++) {
                Optional<Instant> next = nextAfter(previous.get());
                if (next.isEmpty()) {
                    break;
                }
                Duration gap = Duration.between(previous.get(), next.get());
                if (gap.compareTo(MIN_SECONDS_INTERVAL) < 0) {
                    throw new IllegalArgumentException(
                            "cron expression '"
                                    + echo
                                    + "' fires "
                                    + gap.toSeconds()
                                    + " s apart; a schedule fires at most every "
                                    + MIN_SECONDS_INTERVAL.toSeconds()
                                    + " s");
                }
                previous = next;
            }
        }
    }

    private static String clip(String s) {
        if (s == null || s.length() <= MAX_ECHO_CHARS) {
            return s;
        }
        return s.substring(0, MAX_ECHO_CHARS) + "…";
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
