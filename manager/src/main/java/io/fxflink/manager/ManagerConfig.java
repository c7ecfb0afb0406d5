package io.fxflink.manager;

import io.fxflink.config.crypto.SecretKeys;
import io.fxflink.contracts.topic.Topics;
import io.fxflink.manager.health.HealthSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the manager, read once from the environment and validated; a bad value fails the
 * start with a message naming the variable. Endpoint defaults are the local stack's. {@link
 * #toString()} hides passwords, keys and the bootstrap token.
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
        int opsSqlMaxRows,
        String bootstrapAdminToken,
        String jobJarsDir,
        long maxJobJarBytes,
        int flinkStopTimeoutMs,
        Map<String, String> configStoreEnv,
        HealthSettings health) {

    /** Variables the config and secret stores read themselves (see fx-config-store). */
    static final List<String> CONFIG_STORE_ENV =
            List.of(
                    SecretKeys.KEY_ENV,
                    SecretKeys.MODE_ENV,
                    "CONSUL_HTTP_ADDR",
                    "CONSUL_HTTP_TOKEN",
                    "FX_CONSUL_ROOT");

    public ManagerConfig {
        configStoreEnv = Map.copyOf(configStoreEnv);
    }

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
                    new String[] {
                        "FX_TOPIC_PREFIX",
                        "",
                        "prefix of the default topic names (as the jobs and the executor read it)"
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
                    new String[] {
                        "FX_FLINK_REST_URL",
                        "",
                        "Flink REST API, e.g. http://127.0.0.1:8081; unset = the jobs routes answer"
                                + " 503 and /health reports Flink as DISABLED (degraded, not down)"
                    },
                    new String[] {
                        "FX_JOB_JARS_DIR",
                        "",
                        "folder of the platform's job jars (fx-router-job-*-job.jar,"
                                + " fx-ops-sink-job-*-job.jar) for POST /api/v1/jobs"
                                + " {\"job\":\"router\"}"
                    },
                    new String[] {
                        "FX_MANAGER_MAX_JOB_JAR_BYTES",
                        "268435456",
                        "largest uploaded Flink job jar"
                    },
                    new String[] {
                        "FX_FLINK_STOP_TIMEOUT_MS",
                        "120000",
                        "how long POST /api/v1/jobs/{id}/stop waits for the savepoint before it"
                                + " answers 202 with the trigger to poll"
                    },
                    new String[] {
                        "FX_BOOTSTRAP_ADMIN_TOKEN",
                        "",
                        "first admin token (role admin on '*') when the database has no token yet;"
                                + " 16-128 printable characters, only its SHA-256 is stored; ignored"
                                + " once tokens exist. Unset = a random one is printed once"
                    },
                    new String[] {
                        "FX_SECRETS_KEY",
                        "",
                        "base64 of 16/24/32 random bytes encrypting secrets (openssl rand -base64"
                                + " 32); unset = the public development key, refused when"
                                + " FX_MODE=production"
                    },
                    new String[] {"FX_MODE", "local", "production = refuse unsafe defaults"},
                    new String[] {
                        "CONSUL_HTTP_ADDR",
                        "",
                        "Consul agent for config and secrets (CONSUL_HTTP_TOKEN, FX_CONSUL_ROOT);"
                                + " unset = PostgreSQL tables"
                    },
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
        HealthSettings health = HealthSettings.defaults();
        try {
            health = HealthSettings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            r.problems.add(e.getMessage());
        }
        ManagerConfig c =
                new ManagerConfig(
                        r.integer("FX_MANAGER_PORT", 0, 65535),
                        r.text("FX_PG_URL"),
                        r.text("FX_PG_USER"),
                        r.raw("FX_PG_PASSWORD"),
                        r.integer("FX_MANAGER_DB_POOL_SIZE", 1, 200),
                        r.text("FX_KAFKA_BOOTSTRAP"),
                        r.topic("FX_EVENTS_TOPIC"),
                        r.topic("FX_LINKS_TOPIC"),
                        r.text("FX_S3_ENDPOINT"),
                        r.text("FX_S3_ACCESS_KEY"),
                        r.raw("FX_S3_SECRET_KEY"),
                        r.text("FX_PACKAGES_BUCKET"),
                        r.text("FX_ES_URL"),
                        r.text("FX_ES_LOGS_INDEX"),
                        r.raw("FX_FLINK_REST_URL").trim(),
                        r.longValue("FX_MANAGER_MAX_PACKAGE_BYTES", 1024, 1L << 31),
                        r.longValue("FX_MANAGER_MAX_UNCOMPRESSED_BYTES", 1024, 1L << 40),
                        r.integer("FX_MANAGER_MAX_EVENT_BYTES", 1, 16 << 20),
                        r.integer("FX_MANAGER_MAX_EVENT_BATCH", 1, 10_000),
                        r.integer("FX_OPS_SQL_TIMEOUT_MS", 100, 600_000),
                        r.integer("FX_OPS_SQL_MAX_ROWS", 1, 100_000),
                        r.raw("FX_BOOTSTRAP_ADMIN_TOKEN").trim(),
                        r.raw("FX_JOB_JARS_DIR").trim(),
                        r.longValue("FX_MANAGER_MAX_JOB_JAR_BYTES", 1024, 1L << 31),
                        r.integer("FX_FLINK_STOP_TIMEOUT_MS", 1000, 3_600_000),
                        storeEnv(env),
                        health);
        if (!c.pgUrl().startsWith("jdbc:postgresql:")) {
            r.problems.add("FX_PG_URL must start with jdbc:postgresql:, was " + c.pgUrl());
        }
        if (!c.flinkRestUrl().isEmpty() && !c.flinkRestUrl().matches("https?://\\S+")) {
            r.problems.add(
                    "FX_FLINK_REST_URL must be an http(s) URL such as http://127.0.0.1:8081, was "
                            + c.flinkRestUrl());
        }
        String token = c.bootstrapAdminToken();
        if (!token.isEmpty() && !token.matches("[\\x21-\\x7e]{16,128}")) {
            // never echo the value: it is a credential
            r.problems.add(
                    "FX_BOOTSTRAP_ADMIN_TOKEN must be 16-128 printable ASCII characters without"
                            + " spaces (it has "
                            + token.length()
                            + " characters)");
        }
        if (c.configStoreEnv().containsKey(SecretKeys.KEY_ENV)
                || SecretKeys.isProduction(c.configStoreEnv())) {
            try {
                SecretKeys.fromEnvironment(c.configStoreEnv());
            } catch (IllegalStateException e) {
                r.problems.add(e.getMessage());
            }
        }
        if (!r.problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid manager configuration: " + String.join("; ", r.problems));
        }
        return c;
    }

    private static Map<String, String> storeEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : CONFIG_STORE_ENV) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                out.put(name, v);
            }
        }
        return out;
    }

    /** Whether the Flink REST API is configured (FX_FLINK_REST_URL set). */
    public boolean flinkEnabled() {
        return !flinkRestUrl.isEmpty();
    }

    @Override
    public String toString() {
        return "ManagerConfig[port="
                + port
                + ", pgUrl="
                + pgUrl
                + ", pgUser="
                + pgUser
                + ", kafkaBootstrap="
                + kafkaBootstrap
                + ", eventsTopic="
                + eventsTopic
                + ", linksTopic="
                + linksTopic
                + ", s3Endpoint="
                + s3Endpoint
                + ", packagesBucket="
                + packagesBucket
                + ", elasticsearchUrl="
                + elasticsearchUrl
                + ", flinkRestUrl="
                + flinkRestUrl
                + ", jobJarsDir="
                + jobJarsDir
                + ", bootstrapAdminToken="
                + (bootstrapAdminToken.isEmpty() ? "unset" : "set")
                + ", configStoreEnv="
                + configStoreEnv.keySet()
                + "]";
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
                opsSqlMaxRows,
                bootstrapAdminToken,
                jobJarsDir,
                maxJobJarBytes,
                flinkStopTimeoutMs,
                configStoreEnv,
                health);
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

        /** A topic: given in full, or the default name behind FX_TOPIC_PREFIX. */
        String topic(String name) {
            return env.containsKey(name) ? text(name) : raw("FX_TOPIC_PREFIX").trim() + text(name);
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
