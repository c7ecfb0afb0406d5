package io.fxflink.opssink;

import static io.fxflink.opssink.OpsSinkOptions.*;

import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.opssink.elasticsearch.ElasticsearchConnection;
import io.fxflink.opssink.elasticsearch.OpsIndices;
import io.fxflink.opssink.elasticsearch.RetryBackoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ops sink job's configuration, parsed and validated once (see {@link OpsSinkOptions} for keys,
 * environment variables and defaults). Every problem is reported at once, naming the key.
 */
public record OpsSinkConfig(
        String kafkaBootstrap,
        String groupId,
        TopicNames topics,
        boolean bounded,
        ElasticsearchConnection elasticsearch,
        OpsIndices indices,
        int indexShards,
        Integer indexReplicas,
        boolean installTemplates,
        int bulkMaxDocuments,
        long bulkMaxBytes,
        int bulkMaxInFlight,
        long bulkFlushIntervalMs,
        int bufferMaxDocuments,
        RetryBackoff retryBackoff,
        String pgUrl,
        String pgUser,
        String pgPassword,
        boolean migrate,
        int pgBatchSize,
        long pgBatchIntervalMs,
        int pgMaxRetries,
        Duration outOfOrderness,
        Duration allowedLateness,
        Duration maxFuture,
        Duration idleness) {

    /** Parses {@code --key value} / {@code --key=value} arguments over the environment. */
    public static OpsSinkConfig parse(String[] args, Map<String, String> env) {
        return new Reader(arguments(args), env).read();
    }

    /** Same from a key/value map (tests, embedding): keys as in {@link OpsSinkOptions}. */
    public static OpsSinkConfig of(Map<String, String> values) {
        return new Reader(checkKeys(values), Map.of()).read();
    }

    static Map<String, String> arguments(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + a + "'; expected --key value\n" + help());
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
            out.put(key, value);
        }
        return checkKeys(out);
    }

    private static Map<String, String> checkKeys(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (ALL.stream().noneMatch(o -> o.key().equals(key))) {
                throw new IllegalArgumentException("unknown option --" + key + "\n" + help());
            }
        }
        return values;
    }

    /** Reads each option once and collects every problem before failing. */
    private static final class Reader {
        private final Map<String, String> given;
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> given, Map<String, String> env) {
            this.given = given;
            this.env = env;
        }

        String text(Option o) {
            String v = given.get(o.key());
            if (v == null && o.env() != null) {
                v = env.get(o.env());
            }
            if (v == null) {
                v = o.defaultValue();
            }
            return v == null || v.isBlank() ? null : v.trim();
        }

        String required(Option o) {
            String v = text(o);
            if (v == null) {
                problems.add(missing(o));
            }
            return v;
        }

        long number(Option o, long min, long max) {
            String v = text(o);
            if (v == null) {
                problems.add(missing(o));
                return min;
            }
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    problems.add(
                            o.key() + " must be between " + min + " and " + max + ", was " + n);
                    return min;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(o.key() + " must be a whole number, was '" + v + "'");
                return min;
            }
        }

        boolean flag(Option o) {
            String v = text(o);
            if ("true".equalsIgnoreCase(v)) {
                return true;
            }
            if (v == null || "false".equalsIgnoreCase(v)) {
                return false;
            }
            problems.add(o.key() + " must be true or false, was '" + v + "'");
            return false;
        }

        private static String missing(Option o) {
            return o.key() + " is required" + (o.env() == null ? "" : " (or set " + o.env() + ")");
        }

        OpsSinkConfig read() {
            String bootstrap = required(KAFKA_BOOTSTRAP);
            String group = required(KAFKA_GROUP_ID);
            String topicPrefix = text(TOPIC_PREFIX);
            boolean bounded = flag(KAFKA_BOUNDED);
            ElasticsearchConnection es = elasticsearch();
            OpsIndices indices = null;
            try {
                indices = new OpsIndices(text(ES_INDEX_PREFIX));
            } catch (IllegalArgumentException e) {
                problems.add(ES_INDEX_PREFIX.key() + ": " + e.getMessage());
            }
            int shards = (int) number(ES_SHARDS, 1, 1024);
            Integer replicas = text(ES_REPLICAS) == null ? null : (int) number(ES_REPLICAS, 0, 16);
            boolean templates = flag(ES_INSTALL_TEMPLATES);
            int bulkDocs = (int) number(ES_BULK_DOCUMENTS, 1, 100_000);
            long bulkBytes = number(ES_BULK_BYTES, 1024 * 1024, 100L * 1024 * 1024);
            int inFlight = (int) number(ES_IN_FLIGHT, 1, 64);
            long flushMs = number(ES_FLUSH_MS, 1, 3_600_000);
            int buffer = (int) number(ES_BUFFER, 1, 10_000_000);
            if (buffer < bulkDocs) {
                problems.add(
                        ES_BUFFER.key()
                                + " ("
                                + buffer
                                + ") must be at least "
                                + ES_BULK_DOCUMENTS.key()
                                + " ("
                                + bulkDocs
                                + ")");
            }
            long retryInitial = number(ES_RETRY_INITIAL_MS, 1, 3_600_000);
            long retryMax = number(ES_RETRY_MAX_MS, 1, 3_600_000);
            RetryBackoff backoff = null;
            if (retryMax < retryInitial) {
                problems.add(
                        ES_RETRY_MAX_MS.key() + " must not be below " + ES_RETRY_INITIAL_MS.key());
            } else {
                backoff = new RetryBackoff(retryInitial, retryMax);
            }
            String pgUrl = required(PG_URL);
            if (pgUrl != null && !pgUrl.startsWith("jdbc:postgresql://")) {
                problems.add(PG_URL.key() + " must start with jdbc:postgresql://, was " + pgUrl);
            }
            String pgUser = required(PG_USER);
            String pgPassword = text(PG_PASSWORD);
            boolean migrate = flag(PG_MIGRATE);
            int pgBatch = (int) number(PG_BATCH_SIZE, 1, 100_000);
            long pgInterval = number(PG_BATCH_INTERVAL_MS, 1, 3_600_000);
            int pgRetries = (int) number(PG_MAX_RETRIES, 0, 100);
            Duration outOfOrder = Duration.ofMillis(number(OUT_OF_ORDERNESS_MS, 0, 86_400_000));
            Duration lateness = Duration.ofMillis(number(ALLOWED_LATENESS_MS, 0, 86_400_000));
            Duration maxFuture = Duration.ofMillis(number(MAX_FUTURE_MS, 0, 86_400_000));
            Duration idle = Duration.ofMillis(number(IDLENESS_MS, 1, 86_400_000));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "invalid ops sink configuration:\n  - "
                                + String.join("\n  - ", problems)
                                + "\n"
                                + help());
            }
            return new OpsSinkConfig(
                    bootstrap,
                    group,
                    TopicNames.withPrefix(topicPrefix),
                    bounded,
                    es,
                    indices,
                    shards,
                    replicas,
                    templates,
                    bulkDocs,
                    bulkBytes,
                    inFlight,
                    flushMs,
                    buffer,
                    backoff,
                    pgUrl,
                    pgUser,
                    pgPassword,
                    migrate,
                    pgBatch,
                    pgInterval,
                    pgRetries,
                    outOfOrder,
                    lateness,
                    maxFuture,
                    idle);
        }

        private ElasticsearchConnection elasticsearch() {
            String urls = required(ES_URL);
            if (urls == null) {
                return null;
            }
            try {
                ElasticsearchConnection.Builder b = ElasticsearchConnection.builder();
                for (String url : urls.split(",")) {
                    b.url(url);
                }
                String user = text(ES_USERNAME);
                String password = text(ES_PASSWORD);
                if (user != null || password != null) {
                    if (user == null || password == null) {
                        problems.add(
                                "es.username and es.password go together (one of them is"
                                        + " missing)");
                    } else {
                        b.basicAuth(user, password);
                    }
                }
                if (text(ES_API_KEY) != null) {
                    b.apiKey(text(ES_API_KEY));
                }
                if (text(ES_CA_CERT) != null) {
                    b.caCertificate(text(ES_CA_CERT));
                }
                if (text(ES_CA_FINGERPRINT) != null) {
                    b.caFingerprint(text(ES_CA_FINGERPRINT));
                }
                return b.build();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return null;
            }
        }
    }

    @Override
    public String toString() {
        // never print the password
        return "OpsSinkConfig[kafka="
                + kafkaBootstrap
                + " group="
                + groupId
                + " topics="
                + topics
                + " bounded="
                + bounded
                + " es="
                + elasticsearch
                + " indexPrefix='"
                + indices.prefix()
                + "' pg="
                + pgUrl
                + " user="
                + pgUser
                + "]";
    }
}
