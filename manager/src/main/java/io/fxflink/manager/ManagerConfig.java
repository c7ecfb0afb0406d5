package io.fxflink.manager;

import io.fxflink.contracts.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the manager, read once from the environment and validated; a bad value fails the
 * start with a message naming the variable. Endpoint defaults are the local stack's.
 */
public record ManagerConfig(
        int port,
        String pgUrl,
        String pgUser,
        String pgPassword,
        int dbPoolSize,
        String kafkaBootstrap,
        String eventsTopic,
        String linksTopic,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String packagesBucket,
        String elasticsearchUrl,
        String logsIndexPattern,
        String flinkRestUrl,
        long maxPackageBytes,
        long maxUncompressedPackageBytes,
        int maxEventBytes,
        int maxEventBatch,
        int opsSqlTimeoutMs,
        int opsSqlMaxRows) {

    /** (variable, default, description) of every setting, for docs and error messages. */
    public static final List<String[]> OPTIONS =
            List.of(
                    new String[] {"FX_MANAGER_PORT", "18080", "HTTP port"},
                    new String[] {
                        "FX_PG_URL",
                        "jdbc:postgresql://127.0.0.1:15432/postgres",
                        "PostgreSQL JDBC URL"
                    },
                    new String[] {"FX_PG_USER", "postgres", "PostgreSQL user"},
                    new String[] {"FX_PG_PASSWORD", "postgres", "PostgreSQL password"},
                    new String[] {"FX_MANAGER_DB_POOL_SIZE", "8", "JDBC connection pool size"},
                    new String[] {
                        "FX_KAFKA_BOOTSTRAP", "127.0.0.1:19092", "Kafka bootstrap servers"
                    },
                    new String[] {"FX_EVENTS_TOPIC", Topics.EVENTS, "topic of CloudEvents"},
                    new String[] {"FX_LINKS_TOPIC", Topics.LINKS, "compacted topic of links"},
                    new String[] {"FX_S3_ENDPOINT", "http://127.0.0.1:19000", "S3 endpoint"},
                    new String[] {"FX_S3_ACCESS_KEY", "fxlocal", "S3 access key"},
                    new String[] {"FX_S3_SECRET_KEY", "fxlocal-secret", "S3 secret key"},
                    new String[] {
                        "FX_PACKAGES_BUCKET", "fx-packages", "bucket of service packages"
                    },
                    new String[] {"FX_ES_URL", "http://127.0.0.1:19200", "Elasticsearch URL"},
                    new String[] {"FX_ES_LOGS_INDEX", "fx-logs-*", "index pattern of log records"},
                    new String[] {"FX_FLINK_REST_URL", "http://127.0.0.1:8081", "Flink REST API"},
                    new String[] {
                        "FX_MANAGER_MAX_PACKAGE_BYTES", "52428800", "largest package zip"
                    },
                    new String[] {
                        "FX_MANAGER_MAX_UNCOMPRESSED_BYTES", "268435456", "largest inflated package"
                    },
                    new String[] {"FX_MANAGER_MAX_EVENT_BYTES", "524288", "largest event data"},
                    new String[] {"FX_MANAGER_MAX_EVENT_BATCH", "500", "most events in one batch"},
                    new String[] {"FX_OPS_SQL_TIMEOUT_MS", "5000", "ops SQL statement timeout"},
                    new String[] {"FX_OPS_SQL_MAX_ROWS", "1000", "ops SQL row limit"});

    public static ManagerConfig fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        ManagerConfig c =
                new ManagerConfig(
                        r.integer("FX_MANAGER_PORT", 0, 65535),
                        r.text("FX_PG_URL"),
                        r.text("FX_PG_USER"),
                        r.raw("FX_PG_PASSWORD"),
                        r.integer("FX_MANAGER_DB_POOL_SIZE", 1, 200),
                        r.text("FX_KAFKA_BOOTSTRAP"),
                        r.text("FX_EVENTS_TOPIC"),
                        r.text("FX_LINKS_TOPIC"),
                        r.text("FX_S3_ENDPOINT"),
                        r.text("FX_S3_ACCESS_KEY"),
                        r.raw("FX_S3_SECRET_KEY"),
                        r.text("FX_PACKAGES_BUCKET"),
                        r.text("FX_ES_URL"),
                        r.text("FX_ES_LOGS_INDEX"),
                        r.text("FX_FLINK_REST_URL"),
                        r.longValue("FX_MANAGER_MAX_PACKAGE_BYTES", 1024, 1L << 31),
                        r.longValue("FX_MANAGER_MAX_UNCOMPRESSED_BYTES", 1024, 1L << 40),
                        r.integer("FX_MANAGER_MAX_EVENT_BYTES", 1, 16 << 20),
                        r.integer("FX_MANAGER_MAX_EVENT_BATCH", 1, 10_000),
                        r.integer("FX_OPS_SQL_TIMEOUT_MS", 100, 600_000),
                        r.integer("FX_OPS_SQL_MAX_ROWS", 1, 100_000));
        if (!c.pgUrl().startsWith("jdbc:postgresql:")) {
            r.problems.add("FX_PG_URL must start with jdbc:postgresql:, was " + c.pgUrl());
        }
        if (!r.problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid manager configuration: " + String.join("; ", r.problems));
        }
        return c;
    }

    /** Same settings on another port (tests use 0 = any free port). */
    public ManagerConfig withPort(int newPort) {
        return new ManagerConfig(
                newPort,
                pgUrl,
                pgUser,
                pgPassword,
                dbPoolSize,
                kafkaBootstrap,
                eventsTopic,
                linksTopic,
                s3Endpoint,
                s3AccessKey,
                s3SecretKey,
                packagesBucket,
                elasticsearchUrl,
                logsIndexPattern,
                flinkRestUrl,
                maxPackageBytes,
                maxUncompressedPackageBytes,
                maxEventBytes,
                maxEventBatch,
                opsSqlTimeoutMs,
                opsSqlMaxRows);
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        String raw(String name) {
            String v = env.get(name);
            if (v != null) {
                return v;
            }
            for (String[] o : OPTIONS) {
                if (o[0].equals(name)) {
                    return o[1];
                }
            }
            throw new IllegalStateException("no default for " + name);
        }

        String text(String name) {
            String v = raw(name).trim();
            if (v.isEmpty()) {
                problems.add(name + " must not be empty");
            }
            return v;
        }

        int integer(String name, int min, int max) {
            return (int) longValue(name, min, max);
        }

        long longValue(String name, long min, long max) {
            String v = raw(name).trim();
            try {
                long l = Long.parseLong(v);
                if (l < min || l > max) {
                    problems.add(name + " must be between " + min + " and " + max + ", was " + v);
                }
                return l;
            } catch (NumberFormatException e) {
                problems.add(name + " must be an integer, was '" + v + "'");
                return min;
            }
        }
    }
}
