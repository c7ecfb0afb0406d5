package io.fxflink.jobs.config;

import io.fxflink.contracts.topic.TopicNames;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;

/**
 * The validated, immutable configuration of one job run. Built once in {@code main} by {@link
 * #parse}; every problem (missing required options, bad values, inconsistent settings) is reported
 * together, naming the option, its flag and its environment variable.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> values;
    private final Map<String, String> kafkaProperties;
    private final TopicNames topics;

    private JobConfig(
            Map<String, Object> values, Map<String, String> kafkaProperties, TopicNames topics) {
        this.values = values;
        this.kafkaProperties = kafkaProperties;
        this.topics = topics;
    }

    /** Args ({@code --key value}) win over the environment, which wins over defaults. */
    public static JobConfig parse(
            String[] args, Map<String, String> env, List<JobOption<?>> extra) {
        Map<String, String> raw = new HashMap<>(ParameterTool.fromArgs(args).toMap());
        return fromMap(raw, env, extra);
    }

    /** Job options only from {@link JobOptions#ALL}, read from args and the process environment. */
    public static JobConfig parse(String[] args) {
        return parse(args, System.getenv(), List.of());
    }

    public static JobConfig fromMap(
            Map<String, String> given, Map<String, String> env, List<JobOption<?>> extra) {
        List<JobOption<?>> options = new ArrayList<>(JobOptions.ALL);
        options.addAll(extra);
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (JobOption<?> option : options) {
            String rawValue = given.get(option.key());
            if (rawValue == null && env != null) {
                rawValue = env.get(option.envName());
            }
            if (rawValue == null || rawValue.isBlank()) {
                if (option.defaultValue() != null) {
                    values.put(option.key(), option.defaultValue());
                } else if (option.required()) {
                    problems.add(describe(option) + " is required");
                }
                continue;
            }
            try {
                values.put(option.key(), option.parser().apply(rawValue));
            } catch (IllegalArgumentException e) {
                problems.add(describe(option) + " " + e.getMessage() + ", was '" + rawValue + "'");
            }
        }
        if (values.get(JobOptions.DELIVERY_GUARANTEE.key()) == DeliveryGuarantee.EXACTLY_ONCE
                && values.get(JobOptions.TRANSACTIONAL_ID_PREFIX.key()) == null) {
            problems.add(
                    describe(JobOptions.TRANSACTIONAL_ID_PREFIX)
                            + " is required when kafka.delivery-guarantee is exactly-once");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid job configuration:\n - " + String.join("\n - ", problems));
        }
        Map<String, String> kafka = new LinkedHashMap<>();
        given.forEach(
                (k, v) -> {
                    if (k.startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX)) {
                        kafka.put(k.substring(JobOptions.KAFKA_PROPERTIES_PREFIX.length()), v);
                    }
                });
        return new JobConfig(values, Map.copyOf(kafka), topics(values));
    }

    private static TopicNames topics(Map<String, Object> v) {
        String prefix = (String) v.get(JobOptions.TOPIC_PREFIX.key());
        TopicNames d = TopicNames.withPrefix(prefix);
        return new TopicNames(
                or(v, JobOptions.TOPIC_EVENTS, d.events()),
                or(v, JobOptions.TOPIC_LINKS, d.links()),
                or(v, JobOptions.TOPIC_EXECUTIONS, d.executions()),
                or(v, JobOptions.TOPIC_OPS_LOGS, d.opsLogs()),
                or(v, JobOptions.TOPIC_OPS_EXECUTIONS, d.opsExecutions()),
                or(v, JobOptions.TOPIC_OPS_METRICS, d.opsMetrics()),
                or(v, JobOptions.TOPIC_DEAD_LETTER, d.deadLetter()));
    }

    private static String or(Map<String, Object> v, JobOption<String> option, String fallback) {
        Object value = v.get(option.key());
        return value == null ? fallback : (String) value;
    }

    private static String describe(JobOption<?> option) {
        return option.key()
                + " (--"
                + option.key()
                + " or "
                + option.envName()
                + "; "
                + option.description()
                + ")";
    }

    /** The option's value, or its default; null only for optional options without default. */
    public <T> T get(JobOption<T> option) {
        Object v = values.get(option.key());
        if (v == null && !values.containsKey(option.key()) && option.defaultValue() == null) {
            return null;
        }
        return option.type().cast(v == null ? option.defaultValue() : v);
    }

    public String bootstrapServers() {
        return get(JobOptions.KAFKA_BOOTSTRAP_SERVERS);
    }

    public TopicNames topics() {
        return topics;
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return get(JobOptions.DELIVERY_GUARANTEE);
    }

    /** Extra Kafka client properties given as {@code kafka.properties.<name>}. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        return p;
    }

    @Override
    public String toString() {
        // no kafka.properties: they may hold credentials
        return "JobConfig" + values + " topics=" + topics;
    }
}
