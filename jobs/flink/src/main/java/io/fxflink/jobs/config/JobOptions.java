package io.fxflink.jobs.config;

import io.fxflink.contracts.topic.Topics;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Options every FX Flink job understands. Job-specific options are declared by the job. */
public final class JobOptions {
    public static final JobOption<String> KAFKA_BOOTSTRAP_SERVERS =
            JobOption.requiredString(
                    "kafka.bootstrap-servers", "Kafka bootstrap servers, host:port[,host:port]");

    public static final JobOption<String> GROUP_ID_PREFIX =
            JobOption.string(
                    "kafka.group-id-prefix",
                    "fx",
                    "prefix of consumer group ids; a source's group id is <prefix>.<source name>");

    public static final JobOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
            JobOption.enumValue(
                    "kafka.delivery-guarantee",
                    DeliveryGuarantee.class,
                    DeliveryGuarantee.AT_LEAST_ONCE,
                    "sink delivery guarantee: at-least-once, exactly-once or none");

    public static final JobOption<String> TRANSACTIONAL_ID_PREFIX =
            JobOption.string(
                    "kafka.transactional-id-prefix",
                    null,
                    "prefix of Kafka transactional ids; required for exactly-once, unique per"
                            + " job");

    public static final JobOption<StartingOffsets> STARTING_OFFSETS =
            JobOption.enumValue(
                    "kafka.starting-offsets",
                    StartingOffsets.class,
                    StartingOffsets.COMMITTED_OR_EARLIEST,
                    "where sources start without a checkpoint: committed-or-earliest,"
                            + " committed-or-latest, earliest, latest");

    public static final JobOption<Long> TRANSACTION_TIMEOUT_MS =
            JobOption.longValue(
                    "kafka.transaction-timeout-ms",
                    600_000L,
                    "producer transaction timeout for exactly-once; must not exceed the"
                            + " broker's transaction.max.timeout.ms (15 min by default)");

    public static final JobOption<String> TOPIC_PREFIX =
            JobOption.string(
                    "topics.prefix", "", "prefix for all default topic names (e.g. test-1.)");

    public static final JobOption<String> TOPIC_EVENTS = topic("events", Topics.EVENTS);
    public static final JobOption<String> TOPIC_LINKS = topic("links", Topics.LINKS);
    public static final JobOption<String> TOPIC_EXECUTIONS = topic("executions", Topics.EXECUTIONS);
    public static final JobOption<String> TOPIC_OPS_LOGS = topic("ops-logs", Topics.OPS_LOGS);
    public static final JobOption<String> TOPIC_OPS_EXECUTIONS =
            topic("ops-executions", Topics.OPS_EXECUTIONS);
    public static final JobOption<String> TOPIC_OPS_METRICS =
            topic("ops-metrics", Topics.OPS_METRICS);
    public static final JobOption<String> TOPIC_DEAD_LETTER =
            topic("deadletter", Topics.DEAD_LETTER);

    /** Keys starting with this go to the Kafka clients as they are (e.g. security settings). */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    public static final List<JobOption<?>> ALL =
            List.of(
                    KAFKA_BOOTSTRAP_SERVERS,
                    GROUP_ID_PREFIX,
                    DELIVERY_GUARANTEE,
                    TRANSACTIONAL_ID_PREFIX,
                    STARTING_OFFSETS,
                    TRANSACTION_TIMEOUT_MS,
                    TOPIC_PREFIX,
                    TOPIC_EVENTS,
                    TOPIC_LINKS,
                    TOPIC_EXECUTIONS,
                    TOPIC_OPS_LOGS,
                    TOPIC_OPS_EXECUTIONS,
                    TOPIC_OPS_METRICS,
                    TOPIC_DEAD_LETTER);

    /** Where a source starts when there is no checkpoint to restore from. */
    public enum StartingOffsets {
        COMMITTED_OR_EARLIEST,
        /** The consumer group's committed offsets; partitions without one start at the end. */
        COMMITTED_OR_LATEST,
        EARLIEST,
        LATEST
    }

    private JobOptions() {}

    // no default: an unset topic option falls back to topics.prefix + the default name
    private static JobOption<String> topic(String name, String defaultName) {
        return JobOption.string(
                "topics." + name,
                null,
                "name of the "
                        + defaultName
                        + " topic (default: <topics.prefix>"
                        + defaultName
                        + ")");
    }
}
