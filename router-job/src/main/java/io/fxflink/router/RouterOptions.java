package io.fxflink.router;

import io.fxflink.contracts.cloudevents.CloudEventDecoder;
import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.jobs.config.JobConfig;
import io.fxflink.jobs.config.JobOption;
import io.fxflink.jobs.config.JobOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.TimeUtils;

/**
 * Typed, validated configuration of the router job. Parsed once from {@code --key value} (or {@code
 * --key=value}) arguments, with environment fallbacks for endpoints. Checkpointing, state backend
 * and restart strategy are cluster settings ({@code flink-conf/config.yaml}), not here.
 *
 * @param transactionalIdPrefix used with exactly-once delivery only
 */
public record RouterOptions(
        String kafkaBootstrap,
        TopicNames topics,
        String groupId,
        StartFrom startFrom,
        int maxCausationDepth,
        Duration dedupeWindow,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        int maxEventBytes,
        Duration linksBootstrapTimeout,
        Duration bufferTimeout,
        Map<String, String> kafkaProperties)
        implements Serializable {

    /** Where the events source starts when the consumer group has no committed offsets. */
    public enum StartFrom {
        EARLIEST,
        LATEST
    }

    /** One option: key, environment fallback, default, description (for --help). */
    public record Option(String key, String env, String defaultValue, String description) {}

    public static final Option KAFKA_BOOTSTRAP =
            new Option(
                    "kafka.bootstrap",
                    "FX_KAFKA_BOOTSTRAP",
                    "127.0.0.1:19092",
                    "Kafka bootstrap servers");
    public static final Option TOPIC_PREFIX =
            new Option(
                    "topic.prefix",
                    "FX_TOPIC_PREFIX",
                    "",
                    "prefix of every topic name (e.g. 'test.')");
    public static final Option GROUP_ID =
            new Option("group.id", null, "fx-router", "consumer group of the events source");
    public static final Option START_FROM =
            new Option(
                    "events.start-from",
                    null,
                    "earliest",
                    "earliest|latest: where to start without committed offsets or a checkpoint");
    public static final Option MAX_DEPTH =
            new Option(
                    "max.causation.depth",
                    null,
                    "32",
                    "events with a larger fxdepth go to the dead-letter topic (loop guard)");
    public static final Option DEDUPE_WINDOW =
            new Option(
                    "dedupe.window",
                    null,
                    "10 min",
                    "an event id seen again within this window yields no new requests");
    public static final Option DELIVERY =
            new Option(
                    "delivery",
                    null,
                    "at-least-once",
                    "at-least-once|exactly-once delivery to the executions topic");
    public static final Option TX_PREFIX =
            new Option(
                    "transactional.id.prefix",
                    null,
                    "fx-router",
                    "Kafka transactional id prefix (exactly-once only); unique per job");
    public static final Option MAX_EVENT_BYTES =
            new Option(
                    "max.event.bytes",
                    null,
                    String.valueOf(CloudEventDecoder.DEFAULT_MAX_VALUE_BYTES),
                    "larger event records go to the dead-letter topic");

    public static final Option LINKS_BOOTSTRAP_TIMEOUT =
            new Option(
                    "links.bootstrap.timeout",
                    null,
                    "30 s",
                    "on a fresh start events wait until the links topic is loaded, at most this long");

    public static final Option BUFFER_TIMEOUT =
            new Option(
                    "buffer.timeout",
                    null,
                    "5 ms",
                    "longest wait before a partly filled network buffer is sent (latency vs batching)");

    public static final List<Option> ALL =
            List.of(
                    KAFKA_BOOTSTRAP,
                    TOPIC_PREFIX,
                    GROUP_ID,
                    START_FROM,
                    MAX_DEPTH,
                    DEDUPE_WINDOW,
                    DELIVERY,
                    TX_PREFIX,
                    MAX_EVENT_BYTES,
                    LINKS_BOOTSTRAP_TIMEOUT,
                    BUFFER_TIMEOUT);

    /**
     * Prefix of pass-through Kafka client properties, e.g. {@code
     * --kafka.prop.security.protocol=SSL}.
     */
    public static final String KAFKA_PROPERTY_PREFIX = "kafka.prop.";

    /**
     * Prefix of per-topic overrides keyed by default name, e.g. {@code
     * --topic.fx.events=my.events}.
     */
    public static final String TOPIC_OVERRIDE_PREFIX = "topic.";

    /** Longer than any checkpoint interval; at most the broker's transaction.max.timeout.ms. */
    private static final String TRANSACTION_TIMEOUT_MS = "900000";

    public RouterOptions {
        kafkaProperties = Map.copyOf(kafkaProperties);
        List<String> problems = new ArrayList<>();
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            problems.add("--" + KAFKA_BOOTSTRAP.key() + " (or FX_KAFKA_BOOTSTRAP) is required");
        }
        if (groupId == null || groupId.isBlank()) {
            problems.add("--" + GROUP_ID.key() + " must not be blank");
        }
        if (maxCausationDepth < 0 || maxCausationDepth > 10_000) {
            problems.add(
                    "--"
                            + MAX_DEPTH.key()
                            + " must be between 0 and 10000, was "
                            + maxCausationDepth);
        }
        if (dedupeWindow == null || dedupeWindow.toMillis() < 1) {
            problems.add("--" + DEDUPE_WINDOW.key() + " must be a positive duration");
        }
        if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
                && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
            problems.add("exactly-once delivery needs --" + TX_PREFIX.key());
        }
        if (maxEventBytes < 1024) {
            problems.add(
                    "--" + MAX_EVENT_BYTES.key() + " must be at least 1024, was " + maxEventBytes);
        }
        if (linksBootstrapTimeout == null || linksBootstrapTimeout.toMillis() < 1) {
            problems.add("--" + LINKS_BOOTSTRAP_TIMEOUT.key() + " must be a positive duration");
        }
        if (bufferTimeout == null || bufferTimeout.isNegative()) {
            problems.add("--" + BUFFER_TIMEOUT.key() + " must be a duration >= 0");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid router configuration: " + String.join("; ", problems));
        }
    }

    /**
     * The shared job configuration these options stand for, for the shared Kafka builders ({@code
     * KafkaSources}, {@code KafkaSinks}): consumer groups {@code <group.id>.events} and {@code
     * <group.id>.links}, transactional ids {@code <prefix>-executions} / {@code
     * <prefix>-deadletter}.
     */
    public JobConfig jobConfig() {
        Map<String, String> m = new HashMap<>();
        m.put(JobOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafkaBootstrap);
        m.put(JobOptions.GROUP_ID_PREFIX.key(), groupId);
        m.put(JobOptions.DELIVERY_GUARANTEE.key(), JobOption.wireName(deliveryGuarantee));
        if (transactionalIdPrefix != null && !transactionalIdPrefix.isBlank()) {
            m.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), transactionalIdPrefix);
        }
        m.put(
                JobOptions.STARTING_OFFSETS.key(),
                JobOption.wireName(
                        startFrom == StartFrom.LATEST
                                ? JobOptions.StartingOffsets.COMMITTED_OR_LATEST
                                : JobOptions.StartingOffsets.COMMITTED_OR_EARLIEST));
        m.put(JobOptions.TRANSACTION_TIMEOUT_MS.key(), TRANSACTION_TIMEOUT_MS);
        m.put(JobOptions.TOPIC_EVENTS.key(), topics.events());
        m.put(JobOptions.TOPIC_LINKS.key(), topics.links());
        m.put(JobOptions.TOPIC_EXECUTIONS.key(), topics.executions());
        m.put(JobOptions.TOPIC_OPS_LOGS.key(), topics.opsLogs());
        m.put(JobOptions.TOPIC_OPS_EXECUTIONS.key(), topics.opsExecutions());
        m.put(JobOptions.TOPIC_OPS_METRICS.key(), topics.opsMetrics());
        m.put(JobOptions.TOPIC_DEAD_LETTER.key(), topics.deadLetter());
        kafkaProperties.forEach((k, v) -> m.put(JobOptions.KAFKA_PROPERTIES_PREFIX + k, v));
        // no environment: these options were resolved (with their FX_ fallbacks) already
        return JobConfig.fromMap(m, Map.of(), List.of());
    }

    /**
     * The defaults (local stack endpoints), for tests and benchmarks to adjust with {@code with*}.
     */
    public static RouterOptions defaults() {
        return parse(new String[0], Map.of());
    }

    public static RouterOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> given = toMap(args);
        Map<String, String> kafkaProps = new LinkedHashMap<>();
        Map<String, String> topicOverrides = new HashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getKey().startsWith(KAFKA_PROPERTY_PREFIX)) {
                kafkaProps.put(e.getKey().substring(KAFKA_PROPERTY_PREFIX.length()), e.getValue());
            } else if (e.getKey().startsWith(TOPIC_OVERRIDE_PREFIX + "fx.")) {
                topicOverrides.put(
                        e.getKey().substring(TOPIC_OVERRIDE_PREFIX.length()), e.getValue());
            } else if (ALL.stream().noneMatch(o -> o.key().equals(e.getKey()))) {
                throw new IllegalArgumentException(
                        "unknown option --"
                                + e.getKey()
                                + "; known: "
                                + ALL.stream().map(Option::key).toList());
            }
        }
        String prefix = value(TOPIC_PREFIX, given, env);
        Map<String, String> byDefault = new HashMap<>();
        for (String t : TopicNames.defaults().all()) {
            byDefault.put(t, topicOverrides.getOrDefault(t, prefix + t));
        }
        for (String t : topicOverrides.keySet()) {
            if (!byDefault.containsKey(t)) {
                throw new IllegalArgumentException(
                        "unknown topic override --topic."
                                + t
                                + "; topics: "
                                + TopicNames.defaults().all());
            }
        }
        return new RouterOptions(
                value(KAFKA_BOOTSTRAP, given, env),
                TopicNames.withOverrides(byDefault),
                value(GROUP_ID, given, env),
                parseEnum(StartFrom.class, START_FROM, value(START_FROM, given, env)),
                parseInt(MAX_DEPTH, value(MAX_DEPTH, given, env)),
                parseDuration(DEDUPE_WINDOW, value(DEDUPE_WINDOW, given, env)),
                parseEnum(DeliveryGuarantee.class, DELIVERY, value(DELIVERY, given, env)),
                value(TX_PREFIX, given, env),
                parseInt(MAX_EVENT_BYTES, value(MAX_EVENT_BYTES, given, env)),
                parseDuration(LINKS_BOOTSTRAP_TIMEOUT, value(LINKS_BOOTSTRAP_TIMEOUT, given, env)),
                parseDuration(BUFFER_TIMEOUT, value(BUFFER_TIMEOUT, given, env)),
                kafkaProps);
    }

    public RouterOptions withKafkaBootstrap(String bootstrap) {
        return new RouterOptions(
                bootstrap,
                topics,
                groupId,
                startFrom,
                maxCausationDepth,
                dedupeWindow,
                deliveryGuarantee,
                transactionalIdPrefix,
                maxEventBytes,
                linksBootstrapTimeout,
                bufferTimeout,
                kafkaProperties);
    }

    public RouterOptions withTopics(TopicNames names) {
        return new RouterOptions(
                kafkaBootstrap,
                names,
                groupId,
                startFrom,
                maxCausationDepth,
                dedupeWindow,
                deliveryGuarantee,
                transactionalIdPrefix,
                maxEventBytes,
                linksBootstrapTimeout,
                bufferTimeout,
                kafkaProperties);
    }

    public RouterOptions withGroupId(String group) {
        return new RouterOptions(
                kafkaBootstrap,
                topics,
                group,
                startFrom,
                maxCausationDepth,
                dedupeWindow,
                deliveryGuarantee,
                transactionalIdPrefix,
                maxEventBytes,
                linksBootstrapTimeout,
                bufferTimeout,
                kafkaProperties);
    }

    public RouterOptions withDelivery(DeliveryGuarantee guarantee, String txPrefix) {
        return new RouterOptions(
                kafkaBootstrap,
                topics,
                groupId,
                startFrom,
                maxCausationDepth,
                dedupeWindow,
                guarantee,
                txPrefix,
                maxEventBytes,
                linksBootstrapTimeout,
                bufferTimeout,
                kafkaProperties);
    }

    public RouterOptions withMaxCausationDepth(int depth) {
        return new RouterOptions(
                kafkaBootstrap,
                topics,
                groupId,
                startFrom,
                depth,
                dedupeWindow,
                deliveryGuarantee,
                transactionalIdPrefix,
                maxEventBytes,
                linksBootstrapTimeout,
                bufferTimeout,
                kafkaProperties);
    }

    public RouterOptions withKafkaProperty(String key, String value) {
        Map<String, String> props = new LinkedHashMap<>(kafkaProperties);
        props.put(key, value);
        return new RouterOptions(
                kafkaBootstrap,
                topics,
                groupId,
                startFrom,
                maxCausationDepth,
                dedupeWindow,
                deliveryGuarantee,
                transactionalIdPrefix,
                maxEventBytes,
                linksBootstrapTimeout,
                bufferTimeout,
                props);
    }

    /** Usage text listing every option with its default. */
    public static String usage() {
        StringBuilder sb = new StringBuilder("Options (--key value):\n");
        for (Option o : ALL) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  --%-26s %s (default: %s%s)%n",
                            o.key(),
                            o.description(),
                            o.defaultValue().isEmpty() ? "none" : o.defaultValue(),
                            o.env() == null ? "" : ", env " + o.env()));
        }
        sb.append(
                "  --topic.<default name>=<name>  override one topic, e.g. --topic.fx.events=my.events\n");
        sb.append("  --kafka.prop.<kafka property>=<value>  extra Kafka client property\n");
        return sb.toString();
    }

    private static Map<String, String> toMap(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException(
                        "expected --key value, got '" + a + "'\n" + usage());
            }
            String body = a.substring(2);
            int eq = body.indexOf('=');
            if (eq >= 0) {
                out.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.length) {
                out.put(body, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + body + " needs a value");
            }
        }
        return out;
    }

    private static String value(Option o, Map<String, String> given, Map<String, String> env) {
        String v = given.get(o.key());
        if (v == null && o.env() != null) {
            v = env.get(o.env());
        }
        return v == null ? o.defaultValue() : v.trim();
    }

    private static int parseInt(Option o, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + o.key() + " must be an integer, was '" + v + "'");
        }
    }

    private static Duration parseDuration(Option o, String v) {
        try {
            return TimeUtils.parseDuration(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--"
                            + o.key()
                            + " must be a duration such as '10 min' or '30 s', was '"
                            + v
                            + "'");
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, Option o, String v) {
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--"
                            + o.key()
                            + " must be one of "
                            + List.of(type.getEnumConstants()).stream()
                                    .map(x -> x.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                                    .toList()
                            + ", was '"
                            + v
                            + "'");
        }
    }
}
