package io.fxflink.opssink.elasticsearch;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of the daily ops indices ({@code <prefix>fx-logs-YYYY.MM.DD}, {@code fx-executions-...},
 * {@code fx-metrics-...}, by the UTC day of the record's time) and of their index templates. The
 * prefix is empty in production; tests use a unique one.
 */
public final class OpsIndices implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String LOGS = "fx-logs";
    public static final String EXECUTIONS = "fx-executions";
    public static final String METRICS = "fx-metrics";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    // Elasticsearch index names: lower case, no \ / * ? " < > | space , #, not starting with - _ +
    private static final Pattern VALID_PREFIX = Pattern.compile("|[a-z0-9][a-z0-9._-]{0,100}");

    private final String prefix;

    public OpsIndices(String prefix) {
        String p = prefix == null ? "" : prefix;
        if (!VALID_PREFIX.matcher(p).matches()) {
            throw new IllegalArgumentException(
                    "Elasticsearch index prefix '"
                            + p
                            + "' is invalid: use lower-case letters, digits, '.', '_' and '-',"
                            + " starting with a letter or digit (max 101 chars)");
        }
        this.prefix = p;
    }

    public String prefix() {
        return prefix;
    }

    public String logs(Instant time) {
        return prefix + LOGS + "-" + DAY.format(time);
    }

    public String executions(Instant time) {
        return prefix + EXECUTIONS + "-" + DAY.format(time);
    }

    public String metrics(Instant time) {
        return prefix + METRICS + "-" + DAY.format(time);
    }

    /** Pattern matching every daily index of one kind, e.g. {@code fx-logs-*}. */
    public String pattern(String kind) {
        return prefix + kind + "-*";
    }

    /** Name of the index template of one kind. */
    public String templateName(String kind) {
        return prefix + kind;
    }
}
