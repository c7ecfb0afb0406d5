package io.fxflink.opssink;

import java.util.List;

/**
 * Every setting of the ops sink job: key (command line {@code --key value}), environment variable,
 * default and meaning. {@link OpsSinkConfig#parse} reads them once: command line over environment
 * over default.
 */
public final class OpsSinkOptions {

    /**
     * One option. {@code env} may be null (command line only); {@code defaultValue} may be null.
     */
    public record Option(String key, String env, String defaultValue, String description) {}

    public static final Option KAFKA_BOOTSTRAP =
            new Option(
                    "kafka.bootstrap",
                    "FX_KAFKA_BOOTSTRAP",
                    "127.0.0.1:19092",
                    "Kafka bootstrap servers");
    public static final Option KAFKA_GROUP_ID =
            new Option(
                    "kafka.group-id",
                    "FX_OPS_SINK_GROUP",
                    "fx-ops-sink",
                    "consumer group (offsets are committed on checkpoints, for monitoring)");
    public static final Option TOPIC_PREFIX =
            new Option(
                    "kafka.topic-prefix",
                    "FX_TOPIC_PREFIX",
                    "",
                    "prefix of every topic name (fx.ops.logs becomes <prefix>fx.ops.logs)");
    public static final Option KAFKA_BOUNDED =
            new Option(
                    "kafka.bounded",
                    null,
                    "false",
                    "stop at the offsets that are latest at start (backfills, benchmarks)");
    public static final Option ES_URL =
            new Option(
                    "es.url",
                    "FX_ES_URL",
                    "http://127.0.0.1:19200",
                    "Elasticsearch URL(s), comma-separated, http or https");
    public static final Option ES_USERNAME =
            new Option("es.username", "FX_ES_USERNAME", null, "basic auth user");
    public static final Option ES_PASSWORD =
            new Option("es.password", "FX_ES_PASSWORD", null, "basic auth password");
    public static final Option ES_API_KEY =
            new Option("es.api-key", "FX_ES_API_KEY", null, "encoded API key (instead of basic)");
    public static final Option ES_CA_CERT =
            new Option(
                    "es.ca-cert",
                    "FX_ES_CA_CERT",
                    null,
                    "PEM file of the CA that signed the TLS cert");
    public static final Option ES_CA_FINGERPRINT =
            new Option(
                    "es.ca-fingerprint",
                    "FX_ES_CA_FINGERPRINT",
                    null,
                    "SHA-256 fingerprint of the CA certificate (instead of es.ca-cert)");
    public static final Option ES_INDEX_PREFIX =
            new Option(
                    "es.index-prefix", "FX_ES_INDEX_PREFIX", "", "prefix of the daily index names");
    public static final Option ES_SHARDS =
            new Option("es.index.shards", null, "1", "primary shards per daily index");
    public static final Option ES_REPLICAS =
            new Option(
                    "es.index.replicas",
                    null,
                    null,
                    "replicas per daily index (default: the cluster's)");
    public static final Option ES_INSTALL_TEMPLATES =
            new Option(
                    "es.install-templates",
                    null,
                    "true",
                    "install the index templates at start (idempotent)");
    public static final Option ES_BULK_DOCUMENTS =
            new Option("es.bulk.max-documents", null, "1000", "documents per bulk request");
    public static final Option ES_BULK_BYTES =
            new Option("es.bulk.max-bytes", null, "5242880", "bytes per bulk request");
    public static final Option ES_IN_FLIGHT =
            new Option("es.bulk.max-in-flight", null, "2", "concurrent bulk requests per subtask");
    public static final Option ES_FLUSH_MS =
            new Option(
                    "es.bulk.flush-interval-ms",
                    null,
                    "1000",
                    "longest time a document waits in the buffer");
    public static final Option ES_BUFFER =
            new Option(
                    "es.buffer.max-documents",
                    null,
                    "10000",
                    "buffered documents per subtask before back-pressure");
    public static final Option ES_RETRY_INITIAL_MS =
            new Option("es.retry.initial-ms", null, "100", "first retry delay");
    public static final Option ES_RETRY_MAX_MS =
            new Option("es.retry.max-ms", null, "10000", "longest retry delay");
    public static final Option PG_URL =
            new Option(
                    "pg.url",
                    "FX_PG_URL",
                    "jdbc:postgresql://127.0.0.1:15432/postgres",
                    "PostgreSQL JDBC URL");
    public static final Option PG_USER =
            new Option("pg.user", "FX_PG_USER", "postgres", "PostgreSQL user");
    public static final Option PG_PASSWORD =
            new Option("pg.password", "FX_PG_PASSWORD", "postgres", "PostgreSQL password");
    public static final Option PG_MIGRATE =
            new Option(
                    "pg.migrate",
                    null,
                    "true",
                    "apply the Flyway migrations at start (safe with concurrent starts)");
    public static final Option PG_BATCH_SIZE =
            new Option("pg.batch-size", null, "500", "rows per JDBC batch");
    public static final Option PG_BATCH_INTERVAL_MS =
            new Option("pg.batch-interval-ms", null, "500", "longest time a row waits");
    public static final Option PG_MAX_RETRIES =
            new Option(
                    "pg.max-retries",
                    null,
                    "5",
                    "retries of a failed batch before the job restarts from its checkpoint");
    public static final Option OUT_OF_ORDERNESS_MS =
            new Option(
                    "rollup.out-of-orderness-ms",
                    null,
                    "5000",
                    "how far records may arrive out of order (watermark delay)");
    public static final Option ALLOWED_LATENESS_MS =
            new Option(
                    "rollup.allowed-lateness-ms",
                    null,
                    "60000",
                    "late outcomes within this time still update their minute's rollup");
    public static final Option MAX_FUTURE_MS =
            new Option(
                    "rollup.max-future-ms",
                    null,
                    "300000",
                    "outcomes timed further ahead of the sink's clock stay out of the rollups"
                            + " (one such time would move the watermark past every later outcome)");
    public static final Option IDLENESS_MS =
            new Option(
                    "source.idleness-ms",
                    null,
                    "10000",
                    "a partition without records for this long no longer holds the watermark");

    public static final List<Option> ALL =
            List.of(
                    KAFKA_BOOTSTRAP,
                    KAFKA_GROUP_ID,
                    TOPIC_PREFIX,
                    KAFKA_BOUNDED,
                    ES_URL,
                    ES_USERNAME,
                    ES_PASSWORD,
                    ES_API_KEY,
                    ES_CA_CERT,
                    ES_CA_FINGERPRINT,
                    ES_INDEX_PREFIX,
                    ES_SHARDS,
                    ES_REPLICAS,
                    ES_INSTALL_TEMPLATES,
                    ES_BULK_DOCUMENTS,
                    ES_BULK_BYTES,
                    ES_IN_FLIGHT,
                    ES_FLUSH_MS,
                    ES_BUFFER,
                    ES_RETRY_INITIAL_MS,
                    ES_RETRY_MAX_MS,
                    PG_URL,
                    PG_USER,
                    PG_PASSWORD,
                    PG_MIGRATE,
                    PG_BATCH_SIZE,
                    PG_BATCH_INTERVAL_MS,
                    PG_MAX_RETRIES,
                    OUT_OF_ORDERNESS_MS,
                    ALLOWED_LATENESS_MS,
                    MAX_FUTURE_MS,
                    IDLENESS_MS);

    private OpsSinkOptions() {}

    /** The option table as text, for {@code --help} and error messages. */
    public static String help() {
        StringBuilder s = new StringBuilder("Options (--key value; environment variable):\n");
        for (Option o : ALL) {
            s.append("  --")
                    .append(o.key())
                    .append(o.env() == null ? "" : " (" + o.env() + ")")
                    .append(
                            o.defaultValue() == null || o.defaultValue().isEmpty()
                                    ? ""
                                    : " [" + o.defaultValue() + "]")
                    .append(": ")
                    .append(o.description())
                    .append('\n');
        }
        return s.toString();
    }
}
